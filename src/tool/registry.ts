import type { Node } from '../node/types.js';
import type { Tool, ToolClass } from './tool.js';

/** One instance of each tool per node, created on first use: `node.tools.get(Lscpu)`. */
export class ToolRegistry {
  private readonly instances = new Map<ToolClass, Tool>();

  constructor(private readonly node: Node) {}

  get<T extends Tool>(cls: ToolClass<T>): T {
    let tool = this.instances.get(cls);
    if (!tool) {
      tool = new cls(this.node);
      this.instances.set(cls, tool);
    }
    return tool as T;
  }
}
