import { JunctionError } from '../../../core/errors.js';

/**
 * A verb failed the way rabbitmqctl reports it: text on stderr and rabbitmqctl's exit code
 * (sysexits: 64 usage, 65 data error, 67 no such user, 69 unavailable, 70 software error),
 * captured from 3.10.8.
 */
export class CtlFailure extends JunctionError {
  constructor(readonly exitCode: number, readonly text: string) { super('RABBITMQCTL', text); }
}

export const EX_USAGE = 64;
export const EX_DATAERR = 65;
export const EX_NOUSER = 67;
export const EX_UNAVAILABLE = 69;
export const EX_SOFTWARE = 70;

/** `Error:\n<text>`, the usual form. */
export const ctlError = (exitCode: number, text: string) => new CtlFailure(exitCode, `Error:\n${text}`);
export const unsupportedColumns = (keys: string[]) =>
  new CtlFailure(EX_USAGE, `Error (argument validation): Info key(s) ${keys.join(',')} are not supported`);
export const argumentCount = (few: boolean) =>
  new CtlFailure(EX_USAGE, `Error (argument validation): ${few ? 'not enough' : 'too many'} arguments.`);
