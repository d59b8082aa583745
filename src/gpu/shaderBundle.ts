// The WGSL sources when they ship inside a built package: scripts/build.mjs replaces this module in dist/ with
// one holding every shaders/**/*.wgsl file as text (keyed like "common/mlp.wgsl"), so that installed copies work
// in Node and in any bundler without configuration. In this repository the sources are read from shaders/.
export const bundledShaders: Record<string, string> | undefined = undefined;
