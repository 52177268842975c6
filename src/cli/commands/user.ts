import { parse, readStdin, UsageError, type Args } from '../args.js';
import { NacosClient } from '../http.js';
import { printJson, printLine, printTable } from '../output.js';

export const USER_USAGE = `usage: junction user <add|passwd|list|delete> [options]

  list                                   list users
  add <name> [<password> | --password-stdin]      create a user
  passwd <name> [<password> | --password-stdin]   change a user's password
  delete <name>                          remove a user

The users are Nacos users (the /nacos/v1/auth/users API); changing them needs a global admin:
  -u, --username U / -p, --password P    your credentials (env JUNCTION_USERNAME / JUNCTION_PASSWORD)
  --password-stdin                       read the new password from stdin (keeps it out of argv)
  --page N --page-size N                 list paging (default 1 / 100)
  --server URL  --json
`;

const USERS = '/nacos/v1/auth/users';
const REST = { restResult: true };

export async function userCommand(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  const stdin = { 'password-stdin': { type: 'boolean' } } as const;
  switch (verb) {
    case 'list': return userList(parse(rest, { page: { type: 'string' }, 'page-size': { type: 'string' } }, USER_USAGE, 0));
    case 'add': return userAdd(parse(rest, stdin, USER_USAGE, 2));
    case 'passwd': return userPasswd(parse(rest, stdin, USER_USAGE, 2));
    case 'delete': return userDelete(parse(rest, {}, USER_USAGE, 1));
    default: throw new UsageError(verb ? `unknown user command ${JSON.stringify(verb)}` : 'missing user command', USER_USAGE);
  }
}

interface UserPage { totalCount: number; pageItems: { username: string }[] }

async function userList(args: Args): Promise<void> {
  const client = new NacosClient(args.connection());
  // Nacos 2.x maps the list to `search=accurate|blur`; accurate with no username lists everyone.
  const page = await client.json<UserPage>('GET', USERS, {
    search: 'accurate', username: '', pageNo: args.int('page', 1), pageSize: args.int('page-size', 100),
  });
  const users = (page.pageItems ?? []).map((u) => ({ username: u.username }));
  if (args.json) return printJson({ totalCount: page.totalCount, users });
  printTable(users, [{ header: 'USERNAME', value: (u) => u.username }]);
  printLine(`${page.totalCount} user(s)`);
}

/** The new password: second argument or stdin (one trailing newline dropped), never both. */
async function newPassword(args: Args): Promise<string> {
  const given = args.positionals[1];
  if (given !== undefined && args.flag('password-stdin')) throw new UsageError('give the password as an argument or --password-stdin, not both', args.usage);
  const password = given ?? (args.flag('password-stdin') ? (await readStdin()).replace(/\r?\n$/, '') : undefined);
  if (!password) throw new UsageError('missing password (argument or --password-stdin)', args.usage);
  return password;
}

async function userAdd(args: Args): Promise<void> {
  const username = args.required(0, 'user name');
  const password = await newPassword(args);
  const answer = await new NacosClient(args.connection()).request('POST', USERS, { username, password }, REST);
  report(args, answer.text, `created user ${username}`);
}

async function userPasswd(args: Args): Promise<void> {
  const username = args.required(0, 'user name');
  const password = await newPassword(args);
  const answer = await new NacosClient(args.connection()).request('PUT', USERS, { username, newPassword: password }, REST);
  report(args, answer.text, `changed the password of ${username}`);
}

async function userDelete(args: Args): Promise<void> {
  const username = args.required(0, 'user name');
  const answer = await new NacosClient(args.connection()).request('DELETE', USERS, { username }, REST);
  report(args, answer.text, `deleted user ${username}`);
}

/** Nacos answers {code: 200, message: "create user ok!"}; show the server's words to scripts. */
function report(args: Args, serverText: string, done: string): void {
  if (args.json) {
    let body: unknown = serverText;
    try { body = JSON.parse(serverText); } catch { /* plain text */ }
    printJson({ ok: true, answer: body });
  } else {
    printLine(done);
  }
}
