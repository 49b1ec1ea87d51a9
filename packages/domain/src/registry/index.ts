export * from './codes';
export * from './types';
export * from './dates';
export * from './idnumber';
export * from './income';
export * from './validate';
export * from './quality';
export * from './columns';
