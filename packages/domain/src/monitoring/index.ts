export * from './assessment';
export * from './procedure';
export * from './migrated';
