import { createRequire } from 'node:module';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';

/**
 * Fastify compiles JSON schemas with ajv and fast-json-stringify, and by default loads both when an
 * instance is created, whether or not a route declares a schema. Junction's routes validate their
 * parameters in code (with the original's error texts), so these load only if a schema ever shows
 * up — about a fifth of the code a start would otherwise evaluate. (Fastify's documented
 * schemaController.compilersFactory option; resolved from fastify's own dependencies.)
 */
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
type Factory = (...args: unknown[]) => unknown;
const lazy = (pkg: string): Factory => {
  let factory: Factory | null = null;
  return (...args) => (factory ??= (fromFastify(pkg) as () => Factory)())(...args);
};
const schemaCompilers = {
  buildValidator: lazy('@fastify/ajv-compiler'),
  buildSerializer: lazy('@fastify/fast-json-stringify-compiler'),
};

/** A Fastify instance for one of Junction's HTTP ports. */
export function createHttpApp(options: FastifyServerOptions = {}): FastifyInstance {
  return Fastify({
    logger: false,
    return503OnClosing: true,
    ...options,
    schemaController: { compilersFactory: schemaCompilers as never },
  });
}
