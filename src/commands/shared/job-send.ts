// Sending the license job (or the auto-licensing settings): request by request, with the waits
// for another job (409), the split of a request too large (413/417), and a record of each request,
// those not accepted kept for --resume.
import type { LicenseJobRequest, LicenseJobResult } from '../../central/api.js';
import type { Context } from '../../context.js';
import { formatDuration } from '../../core/duration.js';
import { complementChunks, describeRequest, type JobResult, requestRecord } from '../../core/job-plan.js';
import type { Verb } from '../../core/progress.js';
import { halve, type JobRequest, type Scope } from '../../core/scope.js';
import { ApiError, CliError, InterruptedError } from '../../errors.js';

/** Waits before re-sending a request refused with 409 (another license job running): ~45 s in all. */
export const CONFLICT_WAITS_MS = [3_000, 6_000, 12_000, 24_000];

export async function sendAll(
  ctx: Context,
  verb: Verb,
  services: string[],
  /** The scope from a customers list fetched now (an exclude list turned into the others). */
  freshScope: () => Promise<{ scope: Scope }>,
  requests: JobRequest[],
  result: JobResult,
  unsent: JobRequest[],
  send: (job: LicenseJobRequest) => Promise<LicenseJobResult>,
): Promise<void> {
  const queue = [...requests];
  let index = 0;
  let conflicts = 0;
  try {
    while (queue.length) {
      if (ctx.interrupted) throw new InterruptedError('Interrupted before every request was sent.');
      const request = queue[0]!;
      try {
        const answer = await send({
          services,
          ...(request.include ? { includeCustomers: request.include } : {}),
          ...(request.exclude ? { excludeCustomers: request.exclude } : {}),
        });
        queue.shift();
        conflicts = 0; // each request gets its own waits for another job to finish
        result.requests.push({
          ...requestRecord(index++, request, 'accepted'),
          ...(answer.requestId ? { requestId: answer.requestId } : {}),
        });
        if (queue.length || index > 1) ctx.io.info(`request ${index} accepted (${describeRequest(request)})`);
      } catch (error) {
        const status = error instanceof CliError ? error.httpStatus : undefined;
        if (status === 409 && conflicts < CONFLICT_WAITS_MS.length) {
          // 409 is a documented answer of the job; that it means "another license job is still
          // running" is our reading (docs/central-contract.md). Nothing was accepted: wait, retry.
          const ms = CONFLICT_WAITS_MS[conflicts++]!;
          ctx.io.info(
            `Central refused the request (HTTP 409): probably another license job is still running; trying again in ${formatDuration(ms)}`,
          );
          try {
            await ctx.clock.sleep(ms, ctx.abort.signal);
          } catch {
            throw new InterruptedError('Interrupted while waiting for another license job to finish.');
          }
          continue;
        }
        if (status === 413 || status === 417) {
          queue.shift();
          result.requests.push(requestRecord(index++, request, 'split', status));
          if (request.exclude) {
            // An exclude list is never split: it becomes the complement include list.
            let complement: string[];
            try {
              complement = (await freshScope()).scope.inScope.map((c) => c.id);
            } catch (failure) {
              result.requests[result.requests.length - 1] = requestRecord(
                index - 1,
                request,
                'failed',
                status,
              );
              unsent.push(request);
              throw failure;
            }
            const chunks = complementChunks(request.exclude, complement);
            ctx.io.info(
              `the exclude list is too large for one request: sending the ${complement.length} other customers as include lists`,
            );
            result.strategy = 'complement';
            queue.unshift(...chunks);
            continue;
          }
          const halves = halve(request);
          if (!halves) {
            // One customer is still too large: nothing of it was sent; --resume can try it again.
            result.requests[result.requests.length - 1] = requestRecord(index - 1, request, 'failed', status);
            unsent.push(request);
            throw error;
          }
          ctx.io.info(
            `request too large (HTTP ${status}): splitting ${request.include?.length} customers in two`,
          );
          queue.unshift(...halves);
          continue;
        }
        result.requests.push(requestRecord(index++, request, 'failed', status));
        unsent.push(request);
        queue.shift();
        if (status === 409 && error instanceof CliError) {
          throw new ApiError(
            `${error.message}: another license job seems to be running (refused ${conflicts + 1} times)`,
            {
              httpStatus: 409,
              retryable: true,
              cause: error,
              hint: `Wait for it to finish, then send what was not accepted with 'msp-license ${verb} --resume'.`,
            },
          );
        }
        throw error;
      }
    }
  } finally {
    for (const request of queue) {
      result.requests.push(requestRecord(index++, request, 'not-sent'));
      unsent.push(request);
    }
  }
}
