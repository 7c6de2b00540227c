import { Agent } from 'node:https';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import { SerialConsole, type SerialScan } from '../qemu/serial-console.js';
import type { Feature } from '../types.js';
import type { AzureClients } from './clients.js';
import { armError } from './errors.js';

export interface SerialSource {
  /** The node name, prefixed to panic excerpts. */
  name: string;
  group: string;
  vm: string;
  /** Where the log is saved in the run directory. */
  file: string;
}

/** A SAS URI is valid for an hour; it is asked for again well before that. */
const SAS_MINUTES = 60;
const SAS_REUSE_MS = 45 * 60_000;

/**
 * Downloads a boot diagnostics blob through @azure/storage-blob. A private cloud's storage uses the
 * same CA as its ARM endpoint, and the blob client takes no TLS options, so the CA rides on an
 * agent that a one-line request policy puts on every request.
 */
async function downloadBlob(uri: string, ca: string | undefined, signal: AbortSignal): Promise<Buffer> {
  const { AnonymousCredential, BlobClient, newPipeline } = await import('@azure/storage-blob');
  const pipeline = newPipeline(new AnonymousCredential(), { retryOptions: { maxTries: 3 } });
  if (ca) {
    const agent = new Agent({ ca, keepAlive: false });
    pipeline.factories.unshift({
      create: (next) => ({
        sendRequest: (request) => {
          request.agent = agent;
          return next.sendRequest(request);
        },
      }),
    });
  }
  const blob = new BlobClient(uri, pipeline);
  return blob.downloadToBuffer(0, undefined, { abortSignal: signal });
}

/**
 * Boot diagnostics of every VM of an environment, saved to the run directory and scanned for kernel
 * defects with the qemu platform's scanner. Azure only serves the log on request, so `refresh()`
 * fetches it; the engine's health check calls it after every case, and release and a failed
 * deployment call it before the group is deleted.
 */
export class AzureSerialConsole implements Feature {
  readonly name = 'SerialConsole';
  private readonly files: SerialConsole;
  private readonly sas = new Map<string, { uri: string; at: number }>();

  constructor(
    private readonly clients: AzureClients,
    private readonly sources: SerialSource[],
    private readonly ca: string | undefined,
    private readonly log: Logger,
  ) {
    this.files = new SerialConsole(sources.map((s) => ({ name: s.name, serialLog: s.file })));
  }

  private async blobUri(s: SerialSource, signal: AbortSignal): Promise<string | undefined> {
    const cached = this.sas.get(s.vm);
    if (cached && Date.now() - cached.at < SAS_REUSE_MS) return cached.uri;
    const r = await this.clients.compute.virtualMachines.retrieveBootDiagnosticsData(s.group, s.vm, {
      sasUriExpirationTimeInMinutes: SAS_MINUTES,
      abortSignal: signal,
    });
    if (!r.serialConsoleLogBlobUri) return undefined;
    this.sas.set(s.vm, { uri: r.serialConsoleLogBlobUri, at: Date.now() });
    return r.serialConsoleLogBlobUri;
  }

  /** Saves the current serial log of each VM; a VM whose log cannot be read is logged and skipped. */
  async refresh(signal: AbortSignal = AbortSignal.timeout(30_000)): Promise<void> {
    await Promise.all(
      this.sources.map(async (s) => {
        try {
          const uri = await this.blobUri(s, signal);
          if (!uri) return;
          const text = await downloadBlob(uri, this.ca, signal).catch((e: unknown) => {
            // An expired or revoked SAS: ask for a new one once.
            this.sas.delete(s.vm);
            throw e;
          });
          await mkdir(dirname(s.file), { recursive: true });
          await writeFile(s.file, text);
        } catch (e) {
          const info = armError(e);
          this.log.warn(`azure: serial log of ${s.vm} not saved (${info.code ?? 'error'}: ${info.message})`);
        }
      }),
    );
  }

  logFiles(): string[] {
    return this.files.logFiles();
  }

  /** What the node's console printed, as of the last refresh. */
  read(nodeIndex = 0): string {
    return this.files.read(nodeIndex);
  }

  mark(): number[] {
    return this.files.mark();
  }

  scan(since: number | number[] = 0): SerialScan {
    return this.files.scan(since);
  }

  checkSinceLast(): string | undefined {
    return this.files.checkSinceLast();
  }
}
