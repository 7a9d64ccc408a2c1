import type { NodeAPI } from './node-red-types';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Removes a route registered on RED.httpNode, as Node-RED's own http-in node does when it closes. */
export function removeRoute(RED: NodeAPI, path: string, method: 'post'): void {
  const router = (RED.httpNode as unknown as { _router?: { stack: RouteLayer[] }; router?: { stack: RouteLayer[] } })._router
    ?? (RED.httpNode as unknown as { router?: { stack: RouteLayer[] } }).router;
  if (!router) return;
  for (let i = router.stack.length - 1; i >= 0; i--) {
    const layer = router.stack[i]!;
    if (layer.route?.path === path && layer.route.methods[method]) router.stack.splice(i, 1);
  }
}

/** Route paths always start with a slash; empty falls back to the given default. */
export function normaliseRoutePath(path: string | undefined, fallback: string): string {
  const chosen = path?.trim() || fallback;
  return chosen.startsWith('/') ? chosen : `/${chosen}`;
}
