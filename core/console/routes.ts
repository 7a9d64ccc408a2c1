import type { PageContext } from './context';
import type { Permission } from './roles';

export interface Route {
  method: 'GET' | 'POST';
  /** Relative to the mount point; `:name` segments become `context.params.name`. */
  path: string;
  permission: Permission;
  handle(context: PageContext): Promise<void>;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const pattern = new RegExp(`^${route.path.replace(/:([a-z]+)/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
      return { ...route, pattern, names };
    });
  }

  get all(): readonly Route[] {
    return this.routes;
  }

  /** The route for a method and path; `methodMismatch` when the path exists for another method only. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | 'methodMismatch' | undefined {
    let mismatch = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        mismatch = true;
        continue;
      }
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(found[index + 1]!)]));
      } catch {
        return undefined;
      }
      return { route, params };
    }
    return mismatch ? 'methodMismatch' : undefined;
  }
}
