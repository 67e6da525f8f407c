export { Organisation, DEFAULT_ORGANISATION_SLUG, type IOrganisation } from './Organisation.ts';
export { Account, type IAccount } from './Account.ts';
export { Group, type IGroup } from './Group.ts';
export { Membership, type IMembership } from './Membership.ts';
export { Feature, type IFeature } from './Feature.ts';
export { AccountFeature, type IAccountFeature } from './AccountFeature.ts';
export { GroupFeature, type IGroupFeature } from './GroupFeature.ts';
export { Licence, type ILicence } from './Licence.ts';
export { SlackGrant, type ISlackGrant } from './SlackGrant.ts';
export { AuditEvent, type IAuditEvent } from './AuditEvent.ts';
export { AccountToken, type IAccountToken } from './AccountToken.ts';
export { OutboxMail, type IOutboxMail } from './OutboxMail.ts';
export { ApiToken, type IApiToken } from './ApiToken.ts';
export { BulkJob, type IBulkJob } from './BulkJob.ts';
export { BulkJobItem, type IBulkJobItem } from './BulkJobItem.ts';
export { HelpdeskAlert, type IHelpdeskAlert } from './HelpdeskAlert.ts';
export { ApprovalRequest, type IApprovalRequest, type ApprovalSubject, type ApprovalSelection } from './ApprovalRequest.ts';

import { Organisation } from './Organisation.ts';
import { Account } from './Account.ts';
import { Group } from './Group.ts';
import { Membership } from './Membership.ts';
import { Feature } from './Feature.ts';
import { AccountFeature } from './AccountFeature.ts';
import { GroupFeature } from './GroupFeature.ts';
import { Licence } from './Licence.ts';
import { SlackGrant } from './SlackGrant.ts';
import { AuditEvent } from './AuditEvent.ts';
import { AccountToken } from './AccountToken.ts';
import { OutboxMail } from './OutboxMail.ts';
import { ApiToken } from './ApiToken.ts';
import { BulkJob } from './BulkJob.ts';
import { BulkJobItem } from './BulkJobItem.ts';
import { HelpdeskAlert } from './HelpdeskAlert.ts';
import { ApprovalRequest } from './ApprovalRequest.ts';

export const entities = [
  Organisation,
  Account,
  Group,
  Membership,
  Feature,
  AccountFeature,
  GroupFeature,
  Licence,
  SlackGrant,
  AuditEvent,
  AccountToken,
  OutboxMail,
  ApiToken,
  BulkJob,
  BulkJobItem,
  HelpdeskAlert,
  ApprovalRequest,
];
