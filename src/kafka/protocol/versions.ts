/**
 * Version ranges as Apache Kafka's JSON message definitions write them: "0+", "3-5", "4" or
 * "none" (clients/src/main/resources/common/message/README.md, "Versions").
 */
import { KafkaProtocolError } from './protocol-error.js';

export type Versions = string;

export interface VersionRange { readonly min: number; readonly max: number }

const NONE: VersionRange = { min: 1, max: 0 };

export function parseVersions(text: Versions): VersionRange {
  if (text === 'none') return NONE;
  const plus = /^(\d+)\+$/.exec(text);
  if (plus) return { min: Number(plus[1]), max: Number.POSITIVE_INFINITY };
  const range = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!range) throw new KafkaProtocolError(`bad version range "${text}"`);
  const min = Number(range[1]);
  return { min, max: range[2] === undefined ? min : Number(range[2]) };
}

export function inVersions(text: Versions | undefined, version: number): boolean {
  if (text === undefined) return false;
  const { min, max } = parseVersions(text);
  return version >= min && version <= max;
}
