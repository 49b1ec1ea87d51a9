export * from './regions';
export * from './roles';
export * from './password';
export * from './api/endpoint';
export * from './api/schemas';
export * from './api/routes';
export * from './api/registry-routes';
export * from './registry/index';
