/**
 * Value rules for object fields beyond their JSON type: emails, roles, schemas, tags, sizes.
 * Each returns the value to store (normalised) or throws an `invalid` Refusal.
 */
import { isValidName } from '../../core/model';
import { normalizeSchema, SchemaError } from '../../core/schema';
import { isDeviceRole, isUserRole } from './permissions/roles';
import { badRequest, invalid } from './Refusal';

const MAX_SHORT_TEXT = 200;
const MAX_DESCRIPTION = 10_000;
/** Icons may be base64 images, which ConnectorDB allowed inline. */
const MAX_ICON = 200_000;
const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 64;
const MAX_DOWNLINK_TIMEOUT_SECONDS = 86_400;
const MAX_PASSWORD = 1024;

/** The original's check for names in URLs, answered with 400 before anything else. */
export function checkNameSanitation(name: string): void {
  if (!isValidName(name)) {
    throw badRequest(
      `The given name did not pass sanitation: '${name}' must start with a letter, contain only letters, digits, '_' or '-', and be under 30 characters`,
    );
  }
}

function checkLength(field: string, value: string, max: number): string {
  if (value.length > max) throw invalid(`Value of field '${field}' is too long (at most ${max} characters)`);
  return value;
}

/** Go's net/mail accepted `a@localhost`; so do we. */
export function checkEmail(email: string): string {
  const trimmed = email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(trimmed) || trimmed.length > 254)
    throw invalid(`'${email}' is not a valid email address`);
  return trimmed;
}

export function checkPassword(password: string): string {
  if (password.length === 0) throw invalid('The password must not be empty');
  return checkLength('password', password, MAX_PASSWORD);
}

export function checkUserRole(role: string): string {
  if (!isUserRole(role)) throw invalid(`The role '${role}' does not exist (roles: nobody, user, admin)`);
  return role;
}

export function checkDeviceRole(role: string): string {
  if (!isDeviceRole(role))
    throw invalid(`The device role '${role}' does not exist (roles: none, reader, writer, user)`);
  return role;
}

export function checkSchema(schema: string): string {
  try {
    return normalizeSchema(schema);
  } catch (err) {
    if (err instanceof SchemaError) throw invalid(err.message);
    throw err;
  }
}

export function checkTags(tags: string[]): string[] {
  const cleaned = [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))];
  if (cleaned.length > MAX_TAGS) throw invalid(`A stream has at most ${MAX_TAGS} tags`);
  for (const tag of cleaned) checkLength('tags', tag, MAX_TAG_LENGTH);
  return cleaned;
}

export function checkDownlinkTimeout(seconds: number): number {
  if (seconds < 0 || seconds > MAX_DOWNLINK_TIMEOUT_SECONDS) {
    throw invalid(
      `Value of field 'downlink_timeout' must be between 0 and ${MAX_DOWNLINK_TIMEOUT_SECONDS} seconds`,
    );
  }
  return seconds;
}

/** Checks the free-text fields every object has. */
export function checkTexts(fields: {
  nickname?: string;
  description?: string;
  icon?: string;
  datatype?: string;
}): void {
  if (fields.nickname !== undefined) checkLength('nickname', fields.nickname, MAX_SHORT_TEXT);
  if (fields.datatype !== undefined) checkLength('datatype', fields.datatype, MAX_SHORT_TEXT);
  if (fields.description !== undefined) checkLength('description', fields.description, MAX_DESCRIPTION);
  if (fields.icon !== undefined) checkLength('icon', fields.icon, MAX_ICON);
}
