import type { UiOverrides } from '../../packages/hydra-oauth/lib/ui/registry';

/**
 * How this host restyles the sign-in screens: one replaced component and a theme. Imported by
 * the server render and by the browser bundle (`client.tsx`), so both agree.
 */
function ShopBrand({ productName }: { productName: string }) {
  return (
    <p className="ho-brand shop-brand" data-testid="shop-brand">
      <span aria-hidden="true">◆ </span>
      {productName} Shop
    </p>
  );
}

export const demoUiOverrides: UiOverrides = {
  components: { Brand: ShopBrand },
  stylesheet: `
:root { --ho-accent: #0f5f57; --ho-bg: #eef4f3; }
.shop-brand { letter-spacing: .04em; text-transform: uppercase; }
`,
};
