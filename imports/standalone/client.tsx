import { hydrateScreen } from '../../packages/hydra-oauth/lib/ui/hydrate';
import { demoUiOverrides } from './ui';

hydrateScreen(demoUiOverrides);
