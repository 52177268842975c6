/**
 * ZooKeeper client frames are core/net's 4-byte big-endian length-prefixed frames
 * (NIOServerCnxn.readLength / readPayload, ClientCnxnSocket.readLength; LengthPrefixedFramer).
 * What is ZooKeeper's own is the limit: a length < 0 or > jute.maxbuffer closes the connection
 * without a reply ("Len error").
 */

/** jute.maxbuffer's default (BinaryInputArchive.maxBuffer = 0xfffff). */
export const DEFAULT_MAX_BUFFER = 0xfffff;
