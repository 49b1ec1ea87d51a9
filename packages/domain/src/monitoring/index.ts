export * from './assessment';
export * from './procedure';
