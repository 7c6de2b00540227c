import type { Logger } from '../logging/logger.js';
import type { Node } from '../node/types.js';
import type { Environment } from '../platform/types.js';
import type { EventBus } from '../results/event-bus.js';
import type { CaseRef } from '../results/events.js';
import { SkipError } from '../testing/errors.js';
import type { CaseContext } from '../testing/types.js';
import type { Tool, ToolClass } from '../tool/tool.js';
import type { ToolService } from '../tool/tool-service.js';
import { CaseNode } from './case-node.js';

/** What stays the same across the phases of one case attempt. */
export interface CaseScope {
  ref: CaseRef;
  env: Environment;
  attempt: number;
  log: Logger;
  logDir: string;
  bus: EventBus;
  variables: Record<string, unknown>;
  tools: ToolService;
}

/**
 * The context one phase of a case (beforeCase, the case, afterCase) gets: nodes and tools bound
 * to that phase's signal, so an aborted phase cannot leak commands into the next one.
 */
export function caseContext(scope: CaseScope, signal: AbortSignal): CaseContext {
  const { env, log, bus, ref } = scope;
  const nodes = env.nodes.map((n) => new CaseNode(n, log, signal));
  const bound = new Map<Node, Map<ToolClass, Tool>>();
  return {
    node: nodes[0]!,
    nodes,
    environment: env,
    log,
    logDir: scope.logDir,
    variables: scope.variables,
    signal,
    attempt: scope.attempt,
    iteration: ref.iteration,
    tool<T extends Tool>(cls: ToolClass<T>, node: Node = nodes[0]!): T {
      // ctx.nodes[i] or the environment's own node object: either names the same machine.
      let i = nodes.indexOf(node as CaseNode);
      if (i < 0) i = env.nodes.indexOf(node);
      if (i < 0) throw new Error(`ctx.tool(${cls.name}): ${node.name} is not a node of this environment`);
      const caseNode = nodes[i]!;
      let tools = bound.get(caseNode);
      if (!tools) bound.set(caseNode, (tools = new Map<ToolClass, Tool>()));
      let tool = tools.get(cls);
      if (!tool) tools.set(cls, (tool = new cls(caseNode, scope.tools.installsOn(caseNode.inner))));
      return tool as T;
    },
    skip(reason: string): never {
      throw new SkipError(reason);
    },
    subResult(name, status, message) {
      log.info(`sub-result ${name}: ${status}${message ? ` (${message})` : ''}`);
      bus.emit({ type: 'case.subresult', case: ref, name, status, message });
    },
    metric(name, value, unit, options) {
      log.info(`metric ${name} = ${value}${unit ? ` ${unit}` : ''}`);
      bus.emit({ type: 'case.metric', case: ref, name, value, unit, ...options });
    },
  };
}
