// wgsl_reflect's ESM build (its "main" is CommonJS, which Node's ESM loader rejects) with the package's types.
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
