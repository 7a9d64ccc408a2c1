import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';
import { parseConsoleUsers } from '../../core/console';

/** Parses the users file as the console will; says how many users and tokens it holds, or which entry is wrong. */
export async function consoleUsersCredentialTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
  try {
    const directory = parseConsoleUsers(String(credential.data?.users ?? ''));
    return { status: 'OK', message: `${directory.users.length} users and ${directory.apiTokens.length} API tokens` };
  } catch (error) {
    // The parser names entries and fields, never a hash.
    return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
  }
}
