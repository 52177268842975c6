import type { AuthFailure } from '../../core/auth/auth-service.js';
import { ErrorCode, NacosError } from '../errors.js';
import type { Params } from '../params.js';

/** Nacos RestResult as RestResultUtils builds it: `{code, message, data}`, always HTTP 200. */
export interface RestResult<T> { code: number; message: string | null; data: T | null }
export const restSuccess = <T>(data: T): RestResult<T> => ({ code: 200, message: null, data });
/** RestResultUtils.failed(code, data): the text goes in `data`, message stays null. */
export const restFailed = <T>(code: number, data: T): RestResult<T> => ({ code, message: null, data });

/** Nacos's Page of auth rows (AuthPaginationHelper). */
export interface Page<T> { totalCount: number; pageNumber: number; pagesAvailable: number; pageItems: T[] }

export function paginate<T>(rows: readonly T[], pageNo: number, pageSize: number): Page<T> {
  const size = Math.max(1, pageSize);
  const pages = Math.ceil(rows.length / size);
  const start = (Math.max(1, pageNo) - 1) * size;
  return { totalCount: rows.length, pageNumber: pageNo, pagesAvailable: pages, pageItems: rows.slice(start, start + size) };
}

/** pageNo/pageSize are required in Nacos; Junction defaults them (1, 100) so a bare GET lists. */
export function pageParams(p: Params): { pageNo: number; pageSize: number; blur: boolean } {
  return { pageNo: p.int('pageNo', 1), pageSize: p.int('pageSize', 100), blur: p.optional('search') === 'blur' };
}

/** Accurate search: equal, or anything when blank. Blur search: SQL `LIKE '%x%'`. */
export function matches(value: string, filter: string | undefined, blur: boolean): boolean {
  if (filter === undefined) return true;
  return blur ? value.includes(filter) : value === filter;
}

/** Nacos answers IllegalArgumentException from these services with 400 `caused: <message>;`. */
export function illegalArgument(message: string): NacosError {
  return new NacosError(400, `caused: ${message};`, ErrorCode.PARAMETER_MISSING, message);
}

/** The messages Nacos's UserController / NacosRoleService use for each refused command. */
export function failureError(error: AuthFailure, subject: { username?: string; role?: string }): NacosError {
  const { username = '', role = '' } = subject;
  switch (error) {
    case 'user-exists': return illegalArgument(`user '${username}' already exist!`);
    case 'user-not-found': return illegalArgument(`user '${username}' not found!`);
    case 'admin-exists': return illegalArgument(`role 'ROLE_ADMIN' already exist !`);
    case 'admin-protected':
      return illegalArgument(role ? `role '${role}' is not permitted to delete!` : `cannot delete admin: ${username}`);
    case 'role-not-permitted': return illegalArgument(`role '${role}' is not permitted to create!`);
    case 'role-bound': return illegalArgument(`user '${username}' already bound to the role '${role}'!`);
    case 'role-not-found': return illegalArgument(`role ${role} not found!`);
  }
}
