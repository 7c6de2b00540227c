/** Registers the built-in transformer types (imported once, for its effect). */
import { registerTransformer, transformerType } from '../registry.js';
import { kernelBuilderTransformer } from './kernel-builder.js';
import { kernelInstallerTransformer } from './kernel-installer.js';
import { scriptTransformer } from './script.js';

if (!transformerType(scriptTransformer.type)) registerTransformer(scriptTransformer);
if (!transformerType(kernelInstallerTransformer.type)) registerTransformer(kernelInstallerTransformer);
if (!transformerType(kernelBuilderTransformer.type)) registerTransformer(kernelBuilderTransformer);
