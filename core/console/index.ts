/**
 * The console: server-rendered pages and a read-only JSON API over the store, for reviewers, operators and
 * auditors. Hosts (the CLI, Node-RED, n8n) only mount {@link Console.handle} under a path and, when they sign
 * users in themselves, hand over a principal with {@link Console.issueTicket}.
 */
export type { ConsoleRole, ConsolePrincipal, Permission } from './roles';
export { CONSOLE_ROLES, may } from './roles';
export type { ConsoleOptions, Console } from './console';
export { createConsole } from './console';
export type { ConsoleUser, ConsoleUserDirectory, FileApiToken } from './users';
export { parseConsoleUsers, hashConsolePassword, ConsoleUsersError, sha256Hex } from './users';
export { CONTENT_SECURITY_POLICY } from './http';
