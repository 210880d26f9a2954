#!/usr/bin/env node
// Runs the TypeScript CLI without a build step: tsx compiles it on the fly, as it does for
// `npm start` and the tests.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../packages/hydra-oauth/cli/main.ts', import.meta.url).href);
