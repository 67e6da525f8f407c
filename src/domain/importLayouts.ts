/**
 * The spreadsheet layouts an account import recognises: Roster's own (what an export writes), and the bulk files of
 * the tools admins arrive from. A layout says which of its columns carry something Roster has, and which it knows but
 * leaves out, with the reason; any other column is unknown. Passwords are never read, whatever the layout.
 */

/** What an import row can say about an account; `blocked` and `displayName` are other tools' ways of saying two of them. */
export type ImportField = 'email' | 'firstName' | 'lastName' | 'username' | 'role' | 'status' | 'organisation' | 'groups' | 'blocked' | 'displayName';

export type LayoutId = 'roster' | 'google' | 'entra' | 'okta';

type ColumnMeaning = { field: ImportField } | { ignore: string };

const SET_BY_ROSTER = 'Roster keeps this itself';
const NO_SUCH_FIELD = 'Roster has no such field';
export const PASSWORD_IGNORED = 'passwords are never imported: people set their own from the invitation';

/** Roster's own columns, in the order the template and every export write them. */
export const ACCOUNT_FILE_COLUMNS: readonly { header: string; meaning: ColumnMeaning }[] = [
  { header: 'email', meaning: { field: 'email' } },
  { header: 'first name', meaning: { field: 'firstName' } },
  { header: 'last name', meaning: { field: 'lastName' } },
  { header: 'username', meaning: { field: 'username' } },
  { header: 'role', meaning: { field: 'role' } },
  { header: 'status', meaning: { field: 'status' } },
  { header: 'organisation', meaning: { field: 'organisation' } },
  { header: 'groups', meaning: { field: 'groups' } },
  { header: 'last sign-in', meaning: { ignore: SET_BY_ROSTER } },
  { header: 'added', meaning: { ignore: SET_BY_ROSTER } },
  { header: 'modified', meaning: { ignore: SET_BY_ROSTER } },
];

/** Header names match whatever their case and spacing: "First Name", "first  name" and "firstName" are one column. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, '')
    .toLowerCase();
}

const fromList = (columns: readonly (readonly [string, ColumnMeaning])[]) => new Map(columns.map(([header, meaning]) => [normaliseHeader(header), meaning]));

const LAYOUTS: Record<LayoutId, { name: string; columns: ReadonlyMap<string, ColumnMeaning> }> = {
  roster: { name: "Roster's own template", columns: fromList(ACCOUNT_FILE_COLUMNS.map((c) => [c.header, c.meaning] as const)) },
  google: {
    name: 'Google Workspace bulk upload',
    columns: fromList([
      ['First Name [Required]', { field: 'firstName' }],
      ['Last Name [Required]', { field: 'lastName' }],
      ['Email Address [Required]', { field: 'email' }],
      ['Password [Required]', { ignore: PASSWORD_IGNORED }],
      ['Password Hash Function [UPLOAD ONLY]', { ignore: PASSWORD_IGNORED }],
      ['Change Password at Next Sign-In', { ignore: PASSWORD_IGNORED }],
      ['Org Unit Path [Required]', { ignore: 'organisations are chosen for the whole import' }],
      ['New Primary Email [UPLOAD ONLY]', { ignore: 'change an email with /user email' }],
      ...[
        'Recovery Email',
        'Home Secondary Email',
        'Work Secondary Email',
        'Recovery Phone [MUST BE IN THE E.164 FORMAT]',
        'Work Phone',
        'Home Phone',
        'Mobile Phone',
        'Work Address',
        'Home Address',
        'Employee ID',
        'Employee Type',
        'Employee Title',
        'Manager Email',
        'Department',
        'Cost Center',
        'Building ID',
        'Floor Name',
        'Floor Section',
        'New Status [UPLOAD ONLY]',
        'Advanced Protection Program enrollment',
      ].map((header) => [header, { ignore: NO_SUCH_FIELD }] as const),
    ]),
  },
  entra: {
    name: 'Microsoft Entra ID bulk create',
    columns: fromList([
      ['Name [displayName] Required', { field: 'displayName' }],
      ['User name [userPrincipalName] Required', { field: 'email' }],
      ['Initial password [passwordProfile] Required', { ignore: PASSWORD_IGNORED }],
      ['Block sign in (Yes/No) [accountEnabled] Required', { field: 'blocked' }],
      ['First name [givenName]', { field: 'firstName' }],
      ['Last name [surname]', { field: 'lastName' }],
      ...[
        'Job title [jobTitle]',
        'Department [department]',
        'Usage location [usageLocation]',
        'Street address [streetAddress]',
        'State or province [state]',
        'Country or region [country]',
        'Office [physicalDeliveryOfficeName]',
        'City [city]',
        'ZIP or postal code [postalCode]',
        'Office phone [telephoneNumber]',
        'Mobile phone [mobile]',
      ].map((header) => [header, { ignore: NO_SUCH_FIELD }] as const),
    ]),
  },
  okta: {
    name: 'Okta user attributes',
    columns: fromList([
      ['login', { field: 'username' }],
      ['firstName', { field: 'firstName' }],
      ['lastName', { field: 'lastName' }],
      ['email', { field: 'email' }],
      ['password', { ignore: PASSWORD_IGNORED }],
      ...[
        'middleName',
        'honorificPrefix',
        'honorificSuffix',
        'title',
        'displayName',
        'nickName',
        'profileUrl',
        'secondEmail',
        'mobilePhone',
        'primaryPhone',
        'streetAddress',
        'city',
        'state',
        'zipCode',
        'countryCode',
        'postalAddress',
        'preferredLanguage',
        'locale',
        'timezone',
        'userType',
        'employeeNumber',
        'costCenter',
        'organization',
        'division',
        'department',
        'managerId',
        'manager',
      ].map((header) => [header, { ignore: NO_SUCH_FIELD }] as const),
    ]),
  },
};

/** The first line of an Entra ID bulk-create file, above its header row. */
export const ENTRA_VERSION_LINE = /^version:v\d+(\.\d+)*$/i;

export interface ColumnPlan {
  layout: LayoutId;
  /** The layout's name, for the dry run ("Google Workspace bulk upload"). */
  layoutName: string;
  /** The cell index of each field the file carries. */
  fields: Partial<Record<ImportField, number>>;
  /** Columns known to the layout that Roster leaves out, each with why (passwords among them). */
  ignoredColumns: { column: string; reason: string }[];
  /** Columns no layout knows, as the file names them. */
  unknownColumns: string[];
}

/**
 * Which layout `headers` are and what each column means. `afterVersionLine`: the file began with Entra's
 * `version:v1.0` line.
 */
export function planColumns(headers: readonly string[], { afterVersionLine = false } = {}): ColumnPlan {
  const names = new Set(headers.map(normaliseHeader));
  const has = (header: string) => names.has(normaliseHeader(header));
  const layout: LayoutId =
    afterVersionLine || has('User name [userPrincipalName] Required')
      ? 'entra'
      : has('Email Address [Required]')
        ? 'google'
        : has('login') && !has('username')
          ? 'okta'
          : 'roster';
  const plan: ColumnPlan = { layout, layoutName: LAYOUTS[layout].name, fields: {}, ignoredColumns: [], unknownColumns: [] };
  headers.forEach((header, index) => {
    const column = header.replace(/^\uFEFF/, '').trim();
    if (column === '') return;
    const meaning = LAYOUTS[layout].columns.get(normaliseHeader(header));
    if (meaning && 'field' in meaning) {
      if (plan.fields[meaning.field] === undefined) plan.fields[meaning.field] = index;
      else plan.ignoredColumns.push({ column, reason: `a second ${column} column` });
    } else if (meaning) plan.ignoredColumns.push({ column, reason: meaning.ignore });
    else if (normaliseHeader(header).includes('password')) plan.ignoredColumns.push({ column, reason: PASSWORD_IGNORED });
    else plan.unknownColumns.push(column);
  });
  return plan;
}
