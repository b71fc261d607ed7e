import type { DisputeResponseDto } from './dto/dispute-response.dto.js';
import type { DisputeEntity } from './schemas/dispute.schema.js';

/**
 * A dispute as `viewer` may see it: staff also see who took and who resolved it (an admin's
 * id is of no use to the parties).
 */
export function toDisputeResponse(dispute: DisputeEntity, staff: boolean): DisputeResponseDto {
  const resolved = dispute.resolvedAt !== null;
  return {
    id: dispute.id,
    job: dispute.job,
    client: dispute.client,
    craftsman: dispute.craftsman,
    openedBy: dispute.openedBy,
    reason: dispute.reason,
    description: dispute.description,
    status: dispute.status,
    awaitingFrom: dispute.awaitingFrom,
    respondBy: dispute.respondBy,
    firstResponseAt: dispute.firstResponseAt,
    evidence: dispute.evidence.map((item) => ({
      id: item.id,
      by: item.by,
      text: item.text,
      messages: item.messages.map((message) => ({
        id: message.id,
        sender: message.sender,
        text: message.text,
        sentAt: message.sentAt,
      })),
      fileIds: item.fileIds ?? [],
      createdAt: item.createdAt,
    })),
    ...(staff
      ? {
          assignedTo: dispute.assignedTo,
          assignedAt: dispute.assignedAt,
          slaDueAt: dispute.slaDueAt,
          resolvedBy: dispute.resolvedBy,
        }
      : {}),
    outcome: resolved ? (dispute.decision?.outcome ?? null) : null,
    clientAmount: resolved ? dispute.decision?.clientAmount : undefined,
    craftsmanAmount: resolved ? dispute.decision?.craftsmanAmount : undefined,
    note: resolved ? (dispute.decision?.note ?? null) : null,
    resolvedAt: dispute.resolvedAt,
    createdAt: dispute.createdAt,
    updatedAt: dispute.updatedAt,
  };
}
