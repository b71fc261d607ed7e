import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ConversationsModule } from '../conversations/conversations.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { QuotesModule } from '../quotes/quotes.module.js';
import { UsersModule } from '../users/users.module.js';
import { InvitationClaimsService } from './invitation-claims.service.js';
import { InvitationBansListener } from './invitation-bans.listener.js';
import { InvitationExpiryService } from './invitation-expiry.service.js';
import { InvitationLimits } from './invitation-limits.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsRepository } from './invitations.repository.js';
import { InvitationsService } from './invitations.service.js';
import { InviteLinksController } from './invite-links.controller.js';
import { InviteLinksRepository } from './invite-links.repository.js';
import { InviteLinksService } from './invite-links.service.js';
import { Invitation, InvitationSchema } from './schemas/invitation.schema.js';
import { InviteLink, InviteLinkSchema } from './schemas/invite-link.schema.js';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Invitation.name, schema: InvitationSchema },
      { name: InviteLink.name, schema: InviteLinkSchema },
    ]),
    JobsModule,
    QuotesModule,
    UsersModule,
    ConversationsModule,
  ],
  controllers: [InvitationsController, InviteLinksController],
  providers: [
    InvitationsService,
    InvitationLimits,
    InvitationsRepository,
    InviteLinksService,
    InviteLinksRepository,
    InvitationExpiryService,
    InvitationClaimsService,
    InvitationBansListener,
  ],
  exports: [InvitationsService, InvitationExpiryService, InvitationClaimsService],
})
export class InvitationsModule {}
