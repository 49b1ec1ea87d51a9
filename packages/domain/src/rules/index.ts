export * from './environment';
export * from './ast';
export * from './check';
export * from './evaluate';
export * from './compile-sql';
export * from './library';
export * from './references';
