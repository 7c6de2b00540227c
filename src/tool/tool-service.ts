import type { Node } from '../node/types.js';
import type { ToolClass } from './tool.js';

/**
 * Which tools are ready on one node. Every Tool instance bound to that node shares it, so a tool
 * is looked up and installed once per node however many cases (and bindings) use it.
 */
export class ToolInstalls {
  private readonly ready = new Map<ToolClass, Promise<void>>();

  /** Runs `prepare` once per tool class; concurrent callers share it; a failure is retried next time. */
  once(cls: ToolClass, prepare: () => Promise<void>): Promise<void> {
    let p = this.ready.get(cls);
    if (!p) {
      p = prepare();
      this.ready.set(cls, p);
      const mine = p;
      p.catch(() => {
        if (this.ready.get(cls) === mine) this.ready.delete(cls);
      });
    }
    return p;
  }
}

/**
 * The run's tool service: one ToolInstalls per node for the whole run. Cases reach it through
 * `ctx.tool(Cls, node?)`; nodes themselves know nothing of tools.
 */
export class ToolService {
  private readonly perNode = new WeakMap<Node, ToolInstalls>();

  installsOn(node: Node): ToolInstalls {
    let installs = this.perNode.get(node);
    if (!installs) {
      installs = new ToolInstalls();
      this.perNode.set(node, installs);
    }
    return installs;
  }
}
