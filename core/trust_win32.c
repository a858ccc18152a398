/* SPDX-License-Identifier: MIT */
/* Whether a plugin file may be loaded on Windows: trust_posix.c's rules in
 * the terms of security descriptors.  The file, its directory and every
 * directory above them, along the path as given and along the path the
 * system resolved it to (symbolic links, junctions), must be owned by this
 * process's user, SYSTEM, Administrators or TrustedInstaller, and their
 * DACLs must let nobody else change what the path leads to.  Anyone who
 * could replace one of them could run code in this process.
 *
 * What "change" means depends on the object's place on the path:
 * - the file: write or append to it, delete (rename) it, change its
 *   permissions or owner;
 * - its directory: all of that, add files or subdirectories (a DLL the
 *   plugin imports is looked for beside it first), delete its entries;
 * - a directory above: delete its entries, delete it, change its
 *   permissions or owner.  Adding an entry there cannot replace one on
 *   the path, and Windows lets Authenticated Users add folders to C:\
 *   itself. */
#define WIN32_LEAN_AND_MEAN
#include "internal.h"

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest text of a SID: "S-1-", a 48-bit authority and 15 32-bit
 * sub-authorities. */
#define SID_TEXT 192

static const ACCESS_MASK role_rights[] = {
	[IFPLEX__TRUST_FILE] = FILE_WRITE_DATA | FILE_APPEND_DATA | DELETE | WRITE_DAC | WRITE_OWNER,
	[IFPLEX__TRUST_DIR] = FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY | FILE_DELETE_CHILD | DELETE |
			      WRITE_DAC | WRITE_OWNER,
	[IFPLEX__TRUST_ABOVE] = FILE_DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER,
};

/* Who may write besides this process's user.  CREATOR OWNER names whoever
 * creates an object below (an ACE for it gives nothing here); OWNER RIGHTS
 * is the owner, checked on its own. */
static const char *const trusted_sids[] = {
	"S-1-5-18",     /* SYSTEM */
	"S-1-5-32-544", /* Administrators */
	"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", /* TrustedInstaller */
	"S-1-3-0",      /* CREATOR OWNER */
	"S-1-3-4",      /* OWNER RIGHTS */
};

/* Names of the groups a refusal most often names, for its message. */
static const struct {
	const char *sid, *name;
} sid_names[] = {
	{"S-1-1-0", "Everyone"},	   {"S-1-5-11", "Authenticated Users"},
	{"S-1-5-32-545", "Users"},	   {"S-1-5-32-546", "Guests"},
	{"S-1-5-7", "Anonymous Logon"},	   {"S-1-5-4", "Interactive"},
	{"S-1-5-2", "Network"},		   {"S-1-2-0", "Local"},
	{"S-1-5-32-547", "Power Users"},
};

static const struct {
	ACCESS_MASK bit;
	const char *file, *dir;
} right_names[] = {
	{FILE_WRITE_DATA, "write data", "add files"},
	{FILE_APPEND_DATA, "append data", "add subdirectories"},
	{FILE_DELETE_CHILD, "delete entries", "delete entries"},
	{DELETE, "delete", "delete"},
	{WRITE_DAC, "change permissions", "change permissions"},
	{WRITE_OWNER, "take ownership", "take ownership"},
};

static char user_sid[SID_TEXT];
static INIT_ONCE user_once = INIT_ONCE_STATIC_INIT;

static int sid_text(PSID sid, char *out)
{
	char *s;

	if (!ConvertSidToStringSidA(sid, &s))
		return ifplex__win_errno(GetLastError());
	snprintf(out, SID_TEXT, "%s", s);
	LocalFree(s);
	return 0;
}

static BOOL CALLBACK user_init(INIT_ONCE *once, void *param, void **ctx)
{
	HANDLE tok;
	union {
		TOKEN_USER u;
		char buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
	} t;
	DWORD n;

	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok))
		return TRUE;
	if (GetTokenInformation(tok, TokenUser, &t, sizeof t, &n) && sid_text(t.u.User.Sid, user_sid) < 0)
		user_sid[0] = '\0';
	CloseHandle(tok);
	return TRUE;
}

static int trusted(const char *sid)
{
	InitOnceExecuteOnce(&user_once, user_init, NULL, NULL);
	if (user_sid[0] && strcmp(sid, user_sid) == 0)
		return 1;
	for (size_t i = 0; i < sizeof trusted_sids / sizeof trusted_sids[0]; i++)
		if (strcmp(sid, trusted_sids[i]) == 0)
			return 1;
	return 0;
}

static const char *sid_name(const char *sid)
{
	for (size_t i = 0; i < sizeof sid_names / sizeof sid_names[0]; i++)
		if (strcmp(sid, sid_names[i].sid) == 0)
			return sid_names[i].name;
	return NULL;
}

/* 1 with the SID, access mask and kind of an allow or deny entry; 0 for
 * an entry that grants nothing (audit, alarm, label) or a deny this check
 * does not count (with a condition or an object type: it errs towards
 * refusing); -1 when the SID does not fit in the entry.  Object entries
 * carry up to two GUIDs before their SID. */
static int ace_read(const ACE_HEADER *h, PSID *sidp, ACCESS_MASK *mask, int *deny)
{
	static GENERIC_MAPPING file_map = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE,
					   FILE_ALL_ACCESS};
	size_t off;

	switch (h->AceType) {
	case ACCESS_ALLOWED_ACE_TYPE:
	case ACCESS_ALLOWED_CALLBACK_ACE_TYPE:
	case ACCESS_DENIED_ACE_TYPE:
		off = offsetof(ACCESS_ALLOWED_ACE, SidStart);
		break;
	case ACCESS_ALLOWED_OBJECT_ACE_TYPE:
	case ACCESS_ALLOWED_CALLBACK_OBJECT_ACE_TYPE: {
		const ACCESS_ALLOWED_OBJECT_ACE *o = (const void *)h;
		off = offsetof(ACCESS_ALLOWED_OBJECT_ACE, ObjectType);
		if (h->AceSize < off)
			return -1;
		if (o->Flags & ACE_OBJECT_TYPE_PRESENT)
			off += sizeof(GUID);
		if (o->Flags & ACE_INHERITED_OBJECT_TYPE_PRESENT)
			off += sizeof(GUID);
		break;
	}
	default:
		return 0;
	}
	/* A SID is 8 bytes and 4 per sub-authority. */
	if (h->AceSize < off + 8)
		return -1;
	const SID *sid = (const SID *)((const char *)h + off);
	if (h->AceSize < off + GetSidLengthRequired(sid->SubAuthorityCount) || !IsValidSid((PSID)sid))
		return -1;
	*sidp = (PSID)sid;
	*mask = ((const ACCESS_ALLOWED_ACE *)h)->Mask;
	MapGenericMask(mask, &file_map);
	*deny = h->AceType == ACCESS_DENIED_ACE_TYPE;
	return 1;
}

static int refuse(char *why, size_t whylen, const char *what, const char *name, const char *fmt, ...)
	IFPLEX__PRINTF(5, 6);
static int refuse(char *why, size_t whylen, const char *what, const char *name, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	snprintf(why, whylen, "%s %s %s", what, name, reason);
	return IFPLEX_EBADPLUGIN;
}

/* The rights in mask that deny ACEs before ACE `upto` take from sid: those
 * naming it and those naming Everyone, which every token holds.  A deny
 * for a group the SID belongs to is not counted: the check errs towards
 * refusing. */
static ACCESS_MASK denied_before(PACL dacl, DWORD upto, PSID sid)
{
	ACCESS_MASK denied = 0, m;
	char text[SID_TEXT];
	int deny;
	void *ace;

	for (DWORD j = 0; j < upto; j++) {
		if (!GetAce(dacl, j, &ace) || (((ACE_HEADER *)ace)->AceFlags & INHERIT_ONLY_ACE))
			continue;
		PSID s;
		if (ace_read(ace, &s, &m, &deny) != 1 || !deny)
			continue;
		if (EqualSid(s, sid) || (sid_text(s, text) == 0 && strcmp(text, "S-1-1-0") == 0))
			denied |= m;
	}
	return denied;
}

static void rights_text(ACCESS_MASK m, int dir, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < sizeof right_names / sizeof right_names[0]; i++) {
		if (!(m & right_names[i].bit))
			continue;
		int w = snprintf(out + used, len - used, "%s%s", used ? ", " : "",
				 dir ? right_names[i].dir : right_names[i].file);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

int ifplex__trust_sd(const void *sd, const char *name, int role, char *why, size_t whylen)
{
	const char *what = role == IFPLEX__TRUST_FILE ? "file" : "directory";
	PSID owner;
	PACL dacl;
	BOOL present, defaulted;
	char text[SID_TEXT];
	int rc;

	if (!GetSecurityDescriptorOwner((PSECURITY_DESCRIPTOR)sd, &owner, &defaulted) || !owner)
		return refuse(why, whylen, what, name, "has no owner");
	if ((rc = sid_text(owner, text)) < 0)
		return rc;
	if (!trusted(text)) {
		const char *n = sid_name(text);
		return refuse(why, whylen, what, name,
			      "is owned by %s%s%s%s, not by this process's user (%s), SYSTEM, "
			      "Administrators or TrustedInstaller",
			      n ? n : "", n ? " (" : "", text, n ? ")" : "", user_sid);
	}
	if (!GetSecurityDescriptorDacl((PSECURITY_DESCRIPTOR)sd, &present, &dacl, &defaulted))
		return ifplex__win_errno(GetLastError());
	if (!present || !dacl)
		return refuse(why, whylen, what, name, "has no DACL: everyone may change it");
	for (DWORD i = 0; i < dacl->AceCount; i++) {
		void *ace;
		ACCESS_MASK m;
		int deny;
		if (!GetAce(dacl, i, &ace))
			return refuse(why, whylen, what, name, "has an ACL entry %lu that cannot be read",
				      (unsigned long)i);
		const ACE_HEADER *h = ace;
		/* Inherit-only entries are templates for objects created below. */
		if (h->AceFlags & INHERIT_ONLY_ACE)
			continue;
		PSID sid;
		int kind = ace_read(h, &sid, &m, &deny);
		if (kind < 0)
			return refuse(why, whylen, what, name, "has an ACL entry %lu that cannot be read",
				      (unsigned long)i);
		if (kind == 0)
			continue;
		if (deny || !(m &= role_rights[role]))
			continue;
		if ((rc = sid_text(sid, text)) < 0)
			return rc;
		if (trusted(text) || !(m &= ~denied_before(dacl, i, sid)))
			continue;
		char rights[160];
		const char *n = sid_name(text);
		rights_text(m, role != IFPLEX__TRUST_FILE, rights, sizeof rights);
		return refuse(why, whylen, what, name, "lets %s%s%s%s %s", n ? n : "", n ? " (" : "", text,
			      n ? ")" : "", rights);
	}
	return 0;
}

static int os_error(char *why, size_t whylen, const char *name, DWORD code)
{
	char msg[512];

	ifplex__win_message(code, name, msg, sizeof msg);
	snprintf(why, whylen, "%s: %s", name, msg);
	return ifplex__win_errno(code);
}

/* Where the directories of p begin: the length of "C:\", "\\?\C:\",
 * "\\server\share\" or "\\?\UNC\server\share\", or 0. */
static size_t root_len(const wchar_t *p)
{
	size_t i = 0;
	int unc = 0;

	if (wcsncmp(p, L"\\\\?\\", 4) == 0 || wcsncmp(p, L"\\\\.\\", 4) == 0) {
		i = 4;
		if (_wcsnicmp(p + 4, L"UNC\\", 4) == 0) {
			i = 8;
			unc = 1;
		}
	} else if (p[0] == L'\\' && p[1] == L'\\') {
		i = 2;
		unc = 1;
	}
	if (!unc) {
		int letter = (p[i] >= L'A' && p[i] <= L'Z') || (p[i] >= L'a' && p[i] <= L'z');
		return letter && p[i + 1] == L':' && p[i + 2] == L'\\' ? i + 3 : 0;
	}
	/* server\share\ */
	for (int part = 0; part < 2; part++) {
		size_t start = i;
		while (p[i] && p[i] != L'\\')
			i++;
		if (i == start || p[i] != L'\\')
			return 0;
		i++;
	}
	return i;
}

/* p without a "\\?\" prefix, for messages. */
static char *display_name(const wchar_t *p)
{
	wchar_t *w;

	if (wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0 && (w = malloc((wcslen(p) - 5) * sizeof *w)) != NULL) {
		w[0] = L'\\';
		wcscpy(w + 1, p + 7);
		char *s = ifplex__utf8(w);
		free(w);
		return s;
	}
	return ifplex__utf8(wcsncmp(p, L"\\\\?\\", 4) == 0 ? p + 4 : p);
}

static int check_dir(wchar_t *dir, int role, char *why, size_t whylen)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	char *name = display_name(dir);
	int rc;

	if (!name)
		return -ENOMEM;
	DWORD e = GetNamedSecurityInfoW(dir, SE_FILE_OBJECT,
					OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, NULL, NULL,
					NULL, NULL, &sd);
	if (e != ERROR_SUCCESS)
		rc = os_error(why, whylen, name, e);
	else
		rc = ifplex__trust_sd(sd, name, role, why, whylen);
	LocalFree(sd);
	free(name);
	return rc;
}

/* Every directory of the path p to a file, from its root down: the last
 * one holds the file. */
static int check_dirs(wchar_t *p, char *why, size_t whylen)
{
	size_t root = root_len(p);
	wchar_t *last = wcsrchr(p, L'\\');
	int rc;

	if (!root || !last || (size_t)(last - p) < root - 1) {
		char *name = display_name(p);
		snprintf(why, whylen, "path %s has no drive or share to start from", name ? name : "?");
		free(name);
		return IFPLEX_EBADPLUGIN;
	}
	size_t end = (size_t)(last - p);
	for (size_t i = root - 1; i <= end; i++) {
		if (p[i] != L'\\' || (i > root - 1 && p[i - 1] == L'\\'))
			continue;
		/* The root keeps its backslash: "C:" alone is a current directory. */
		size_t cut = i == root - 1 ? i + 1 : i;
		wchar_t saved = p[cut];
		p[cut] = L'\0';
		rc = check_dir(p, i == end ? IFPLEX__TRUST_DIR : IFPLEX__TRUST_ABOVE, why, whylen);
		p[cut] = saved;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The file at full (called path in messages), opened: not a directory,
 * its own security, and the directories of the path the system resolved
 * it to when that differs. */
static int check_file(HANDLE h, const wchar_t *full, const char *path, char *why, size_t whylen)
{
	BY_HANDLE_FILE_INFORMATION fi;
	PSECURITY_DESCRIPTOR sd = NULL;
	int rc;

	if (!GetFileInformationByHandle(h, &fi))
		return os_error(why, whylen, path, GetLastError());
	if (fi.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_DEVICE)) {
		snprintf(why, whylen, "path %s is not a regular file", path);
		return IFPLEX_EBADPLUGIN;
	}
	DWORD e = GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
				  NULL, NULL, NULL, NULL, &sd);
	if (e != ERROR_SUCCESS)
		return os_error(why, whylen, path, e);
	rc = ifplex__trust_sd(sd, path, IFPLEX__TRUST_FILE, why, whylen);
	LocalFree(sd);
	if (rc < 0)
		return rc;
	DWORD n = GetFinalPathNameByHandleW(h, NULL, 0, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
	wchar_t *final = n ? malloc((size_t)n * sizeof *final) : NULL;
	if (!n)
		return os_error(why, whylen, path, GetLastError());
	if (!final)
		return -ENOMEM;
	DWORD got = GetFinalPathNameByHandleW(h, final, n, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
	if (got == 0 || got >= n)
		rc = os_error(why, whylen, path, got ? ERROR_INSUFFICIENT_BUFFER : GetLastError());
	else {
		const wchar_t *plain = wcsncmp(final, L"\\\\?\\", 4) == 0 &&
					       _wcsnicmp(final + 4, L"UNC\\", 4) != 0
					       ? final + 4
					       : final;
		/* A link on the way: where it leads is checked as if written
		 * in its place, as trust_posix.c does. */
		if (_wcsicmp(plain, full) != 0)
			rc = check_dirs(final, why, whylen);
	}
	free(final);
	return rc;
}

int ifplex__path_trusted(const char *path, char *why, size_t whylen)
{
	wchar_t *w, *full = NULL;
	int rc;

	why[0] = '\0';
	if (!ifplex__path_is_absolute(path)) {
		snprintf(why, whylen, "path %s is relative", path);
		return IFPLEX_EBADPLUGIN;
	}
	if (!(w = ifplex__wide(path))) {
		if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0) > 0)
			return -ENOMEM;
		snprintf(why, whylen, "path %s is not valid UTF-8", path);
		return IFPLEX_EBADPLUGIN;
	}
	/* Backslashes, and "." and ".." resolved as the system will. */
	DWORD n = GetFullPathNameW(w, 0, NULL, NULL);
	if (n == 0) {
		rc = os_error(why, whylen, path, GetLastError());
		goto out;
	}
	if (!(full = malloc((size_t)n * sizeof *full))) {
		rc = -ENOMEM;
		goto out;
	}
	DWORD got = GetFullPathNameW(w, n, full, NULL);
	if (got == 0 || got >= n) {
		rc = os_error(why, whylen, path, got ? ERROR_INSUFFICIENT_BUFFER : GetLastError());
		goto out;
	}
	if ((rc = check_dirs(full, why, whylen)) < 0)
		goto out;
	HANDLE h = CreateFileW(full, READ_CONTROL | FILE_READ_ATTRIBUTES,
			       FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
			       FILE_FLAG_BACKUP_SEMANTICS, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		rc = os_error(why, whylen, path, GetLastError());
		goto out;
	}
	char *name = display_name(full);
	rc = name ? check_file(h, full, name, why, whylen) : -ENOMEM;
	free(name);
	CloseHandle(h);
out:
	free(full);
	free(w);
	return rc;
}
