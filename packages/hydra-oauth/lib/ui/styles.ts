/**
 * The screens' stylesheet, served from the package's assets route. Colours and spacing are CSS
 * custom properties, so a shop restyles by overriding variables rather than selectors.
 */
export const defaultStylesheet = `
:root {
  --ho-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --ho-bg: #f4f5f7;
  --ho-card-bg: #ffffff;
  --ho-text: #1c1e21;
  --ho-muted: #4b5563;
  --ho-accent: #1d4ed8;
  --ho-accent-text: #ffffff;
  --ho-error: #b91c1c;
  --ho-radius: 8px;
}
* { box-sizing: border-box; }
body { margin: 0; font-family: var(--ho-font); background: var(--ho-bg); color: var(--ho-text); }
.ho-card { max-width: 26rem; margin: 4rem auto; padding: 2rem; background: var(--ho-card-bg);
  border-radius: var(--ho-radius); box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.ho-brand { font-weight: 700; color: var(--ho-accent); margin: 0 0 1rem; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
.ho-lead { color: var(--ho-muted); margin: 0 0 1.25rem; }
.ho-form { display: flex; flex-direction: column; gap: .5rem; }
.ho-form label { font-weight: 600; }
.ho-form input[type=text], .ho-form input[type=password], .ho-form input[type=email] {
  padding: .6rem; border: 1px solid #9ca3af; border-radius: var(--ho-radius); font: inherit; }
.ho-check { font-weight: 400 !important; display: flex; gap: .5rem; align-items: baseline; }
fieldset { border: 0; padding: 0; margin: 0 0 .5rem; display: flex; flex-direction: column; gap: .4rem; }
legend { font-weight: 600; margin-bottom: .4rem; }
.ho-actions { display: flex; gap: .75rem; margin-top: 1rem; }
button { font: inherit; padding: .6rem 1.1rem; border-radius: var(--ho-radius);
  border: 1px solid #9ca3af; background: transparent; color: var(--ho-text); cursor: pointer; }
a.ho-button { display: inline-block; padding: .6rem 1.1rem; border-radius: var(--ho-radius);
  background: var(--ho-accent); color: var(--ho-accent-text); text-decoration: none; }
button.ho-primary { background: var(--ho-accent); border-color: var(--ho-accent);
  color: var(--ho-accent-text); }
button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid var(--ho-accent);
  outline-offset: 2px; }
.ho-error { color: var(--ho-error); font-weight: 600; }
.ho-logo { max-height: 48px; margin-bottom: 1rem; }
.ho-links { margin-top: 1.5rem; font-size: .9rem; }
.ho-hint { color: var(--ho-muted); font-size: .85rem; margin: 0; }
a { color: var(--ho-accent); }
.ho-password { display: flex; gap: .5rem; }
.ho-password input { flex: 1; }
.ho-toggle { padding: .4rem .8rem; }
[hidden] { display: none !important; }
`;
