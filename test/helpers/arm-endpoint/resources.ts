/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- ARM bodies are arbitrary JSON that this test endpoint stores and echoes, as ARM does. */
import type { ArmStore, GroupState, Operation } from './store.js';
import { armFail, ok, type Reply } from './http.js';

export interface Ctx {
  store: ArmStore;
  base: string;
  sub: string;
  method: string;
  path: string;
  url: URL;
  body: any;
}

function groupBody(c: Ctx, g: GroupState): unknown {
  return {
    id: `/subscriptions/${c.sub}/resourceGroups/${g.name}`,
    name: g.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: g.location,
    tags: g.tags,
    properties: { provisioningState: g.deleting ? 'Deleting' : 'Succeeded' },
  };
}

/** Group-level faults a test sets on the endpoint and may clear while a run waits. */
export interface GroupFaults {
  /**
   * While set, a group DELETE is accepted (202, the group turns `Deleting`) but its long-running
   * operation never completes and nothing is deleted. Once cleared, the next DELETE of such a group
   * deletes it (and completes the stuck operations too), as a retried delete does on Azure.
   */
  stuckDelete: boolean;
}

/** Resource groups: PUT, GET, HEAD, DELETE (an LRO that stops the group's guests) and list with a tag filter. */
export function resourceGroups(
  c: Ctx,
  deleteGroup: (g: GroupState) => Promise<void>,
  faults: GroupFaults = { stuckDelete: false },
): Reply | undefined {
  const list = /^\/subscriptions\/[^/]+\/resourcegroups$/i.exec(c.path);
  if (list && c.method === 'GET') {
    const filter = c.url.searchParams.get('$filter') ?? '';
    const tag = /tagName eq '([^']+)'/.exec(filter)?.[1];
    const value = [...c.store.groups.values()].filter((g) => !tag || tag in g.tags).map((g) => groupBody(c, g));
    return ok({ value });
  }
  const m = /^\/subscriptions\/[^/]+\/resourcegroups\/([^/]+)$/i.exec(c.path);
  if (!m) return undefined;
  const name = decodeURIComponent(m[1]!);
  const g = c.store.group(name);
  const notFound = () => armFail(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
  switch (c.method) {
    case 'HEAD':
      return { status: g ? 204 : 404 };
    case 'GET':
      return g ? ok(groupBody(c, g)) : notFound();
    case 'PUT': {
      if (g?.deleting)
        return armFail(
          409,
          'ResourceGroupBeingDeleted',
          `The resource group '${name}' is in deprovisioning state and cannot perform this operation.`,
        );
      if (!c.body?.location)
        return armFail(400, 'LocationRequired', 'The location property is required for this definition.');
      const next: GroupState = g ?? {
        name,
        location: c.body.location,
        tags: {},
        resources: new Map(),
        vms: new Map(),
        deleting: false,
      };
      next.tags = c.body.tags ?? {};
      c.store.groups.set(name.toLowerCase(), next);
      return ok(groupBody(c, next), g ? 200 : 201);
    }
    case 'DELETE': {
      if (!g) return notFound();
      const location = (op: Operation) =>
        `${c.base}/subscriptions/${c.sub}/operationresults/${op.id}?api-version=2025-04-01`;
      // A delete in progress: a second DELETE follows the same operation.
      if (g.deleteOp) return { status: 202, headers: { location: location(g.deleteOp), 'retry-after': '1' } };
      const op = c.store.startOperation();
      g.deleting = true;
      if (faults.stuckDelete) {
        (g.stuckDeletes ??= []).push(op);
        return { status: 202, headers: { location: location(op), 'retry-after': '1' } };
      }
      g.deleteOp = op;
      const ops = [op, ...(g.stuckDeletes ?? [])];
      void deleteGroup(g).then(
        () => {
          c.store.groups.delete(name.toLowerCase());
          for (const o of ops) c.store.finish(o);
        },
        (e: Error) => {
          g.deleteOp = undefined;
          for (const o of ops) c.store.finish(o, { code: 'InternalServerError', message: e.message });
        },
      );
      return { status: 202, headers: { location: location(op), 'retry-after': '1' } };
    }
  }
  return undefined;
}

/** Polling target of a group delete: 202 while running, 200 when gone. */
export function operationResults(c: Ctx): Reply | undefined {
  const m = /^\/subscriptions\/[^/]+\/operationresults\/([^/]+)$/i.exec(c.path);
  if (!m || c.method !== 'GET') return undefined;
  const op = c.store.operations.get(m[1]!);
  if (!op) return armFail(404, 'NotFound', 'operation not found');
  if (op.status === 'InProgress')
    return { status: 202, headers: { location: `${c.base}${c.path}${c.url.search}`, 'retry-after': '1' } };
  if (op.status === 'Failed') return armFail(500, op.error!.code, op.error!.message);
  return { status: 200 };
}

/** Azure-AsyncOperation status documents. */
export function asyncOperations(c: Ctx): Reply | undefined {
  const m =
    /^\/subscriptions\/[^/]+\/providers\/microsoft\.(compute|network)\/locations\/[^/]+\/operations\/([^/]+)$/i.exec(
      c.path,
    );
  if (!m || c.method !== 'GET') return undefined;
  const op = c.store.operations.get(m[2]!);
  if (!op) return armFail(404, 'NotFound', 'operation not found');
  return ok(
    {
      name: op.id,
      status: op.status,
      startTime: op.startTime,
      endTime: op.endTime,
      ...(op.error ? { error: op.error } : {}),
    },
    200,
    op.status === 'InProgress' ? { 'retry-after': '1' } : undefined,
  );
}
