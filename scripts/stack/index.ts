export * from './errors';
export * from './paths';
export * from './ports';
export * from './process';
export * from './environment';
export * from './ferretdb';
export * from './hydra';
export * from './postgres';
