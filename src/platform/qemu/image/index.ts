export { buildImage, findCachedImage } from './build.js';
export { DEFAULT_PACKAGES, defaultCacheDir, imageKey, resolveSpec } from './spec.js';
export type { BuildImageOptions, BuiltImage, ImageSpec } from './spec.js';
