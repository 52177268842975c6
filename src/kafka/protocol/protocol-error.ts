import { JunctionError } from '../../core/errors.js';

/**
 * A Kafka frame could not be read or written as its grammar says: read past the end, a length that
 * is negative or longer than what remains, null where the version forbids it, a version the API
 * does not declare. Kafka answers such a request by closing the connection (InvalidRequestException
 * in SocketServer.processCompletedReceives); the personality does the same after logging `message`.
 */
export class KafkaProtocolError extends JunctionError {
  constructor(message: string) { super('KAFKA_PROTOCOL', message); }
}
