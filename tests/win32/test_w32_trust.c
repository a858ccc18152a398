/* SPDX-License-Identifier: MIT */
/* The loader's trust rules on Windows (core/trust_win32.c).  First the
 * rules themselves, on security descriptors built here with the groups a
 * real Windows uses (wine's files carry only the user, SYSTEM and
 * Everyone); then through ifplex_init on the files test_w32_trust.sh
 * laid out, as wine describes them from their Linux owner and mode, and
 * on one whose DACL this test sets with SetNamedSecurityInfoW. */
#include "win32/tap.h"

#include "internal.h"

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ME "me"  /* this process's user, in the tables below */

struct ace {
	char kind;        /* 'A' allow, 'D' deny, 'I' allow inherit-only, 'O' allow object */
	const char *sid;
	DWORD mask;
};

struct sd_case {
	const char *what;
	const char *owner;
	int role;
	int dacl;         /* 1 a DACL of aces, 0 a NULL DACL, -1 none */
	struct ace aces[4];
	const char *want; /* NULL: trusted; else a part of the refusal */
};

static const struct sd_case sd_cases[] = {
	{"an installed file: SYSTEM, Administrators and the user write, Users read",
	 ME, IFPLEX__TRUST_FILE, 1,
	 {{'A', "S-1-5-18", FILE_ALL_ACCESS}, {'A', "S-1-5-32-544", FILE_ALL_ACCESS},
	  {'A', ME, FILE_ALL_ACCESS}, {'A', "S-1-5-32-545", FILE_GENERIC_READ | FILE_GENERIC_EXECUTE}},
	 NULL},
	{"Program Files: TrustedInstaller owns it, CREATOR OWNER full control",
	 "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", IFPLEX__TRUST_DIR, 1,
	 {{'A', "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", FILE_ALL_ACCESS},
	  {'A', "S-1-3-0", GENERIC_ALL}, {'A', "S-1-15-2-1", FILE_GENERIC_READ}},
	 NULL},
	{"C:\\ above the plugin: Authenticated Users may add folders",
	 "S-1-5-18", IFPLEX__TRUST_ABOVE, 1,
	 {{'A', "S-1-5-32-544", FILE_ALL_ACCESS}, {'A', "S-1-5-11", FILE_ADD_SUBDIRECTORY},
	  {'I', "S-1-5-11", GENERIC_ALL}},
	 NULL},
	{"the same right on the plugin's own directory", "S-1-5-18", IFPLEX__TRUST_DIR, 1,
	 {{'A', "S-1-5-11", FILE_ADD_SUBDIRECTORY}},
	 "directory X lets Authenticated Users (S-1-5-11) add subdirectories"},
	{"Everyone may write the file", ME, IFPLEX__TRUST_FILE, 1,
	 {{'A', "S-1-1-0", FILE_GENERIC_WRITE}},
	 "file X lets Everyone (S-1-1-0) write data, append data"},
	{"Users with GENERIC_ALL on the directory", "S-1-5-32-544", IFPLEX__TRUST_DIR, 1,
	 {{'A', "S-1-5-32-545", GENERIC_ALL}},
	 "lets Users (S-1-5-32-545) add files, add subdirectories, delete entries, delete, change "
	 "permissions, take ownership"},
	{"Users may delete entries of a directory above", "S-1-5-32-544", IFPLEX__TRUST_ABOVE, 1,
	 {{'A', "S-1-5-32-545", FILE_DELETE_CHILD | FILE_ADD_FILE}},
	 "directory X lets Users (S-1-5-32-545) delete entries"},
	{"Users may change the file's permissions", ME, IFPLEX__TRUST_FILE, 1,
	 {{'A', "S-1-5-32-545", WRITE_DAC | FILE_GENERIC_READ}},
	 "lets Users (S-1-5-32-545) change permissions"},
	{"another user may write", ME, IFPLEX__TRUST_FILE, 1,
	 {{'A', "S-1-5-21-1-2-3-1001", FILE_WRITE_DATA}},
	 "lets S-1-5-21-1-2-3-1001 write data"},
	{"a deny for Everyone before the allow takes the right back", ME, IFPLEX__TRUST_FILE, 1,
	 {{'D', "S-1-1-0", FILE_GENERIC_WRITE | DELETE | WRITE_DAC | WRITE_OWNER},
	  {'A', "S-1-5-32-545", FILE_ALL_ACCESS}},
	 NULL},
	{"a deny after the allow does not", ME, IFPLEX__TRUST_FILE, 1,
	 {{'A', "S-1-5-32-545", FILE_GENERIC_WRITE}, {'D', "S-1-5-32-545", FILE_GENERIC_WRITE}},
	 "lets Users (S-1-5-32-545) write data"},
	{"a deny for another group does not", ME, IFPLEX__TRUST_FILE, 1,
	 {{'D', "S-1-5-11", FILE_GENERIC_WRITE}, {'A', "S-1-5-32-545", FILE_GENERIC_WRITE}},
	 "lets Users (S-1-5-32-545) write data"},
	{"an inherit-only entry grants nothing here", ME, IFPLEX__TRUST_DIR, 1,
	 {{'I', "S-1-1-0", GENERIC_ALL}},
	 NULL},
	{"an object entry, its SID after a GUID", ME, IFPLEX__TRUST_FILE, 1,
	 {{'O', "S-1-1-0", FILE_APPEND_DATA}},
	 "lets Everyone (S-1-1-0) append data"},
	{"a NULL DACL", ME, IFPLEX__TRUST_FILE, 0, {{0}}, "file X has no DACL: everyone may change it"},
	{"no DACL", ME, IFPLEX__TRUST_DIR, -1, {{0}}, "directory X has no DACL"},
	{"owned by another user", "S-1-5-21-1-2-3-1001", IFPLEX__TRUST_FILE, 1,
	 {{'A', "S-1-5-18", FILE_ALL_ACCESS}},
	 "file X is owned by S-1-5-21-1-2-3-1001, not by this process's user"},
	{"owned by Everyone", "S-1-1-0", IFPLEX__TRUST_ABOVE, 1, {{0}},
	 "directory X is owned by Everyone (S-1-1-0)"},
	{"owned by SYSTEM", "S-1-5-18", IFPLEX__TRUST_FILE, 1, {{0}}, NULL},
	{"owned by Administrators", "S-1-5-32-544", IFPLEX__TRUST_FILE, 1, {{0}}, NULL},
};

static char me[SECURITY_MAX_SID_SIZE * 4];

static PSID sid_of(const char *text)
{
	PSID sid = NULL;

	if (!ConvertStringSidToSidA(strcmp(text, ME) == 0 ? me : text, &sid))
		tap_bail("ConvertStringSidToSidA failed");
	return sid;
}

/* An allow entry for one object type, written out byte by byte (wine 8
 * has no AddAccessAllowedObjectAce): the GUID comes before the SID. */
static BOOL add_object_ace(ACL *acl, DWORD mask, PSID sid)
{
	static const GUID some_type = {0x4828cc14, 0x1437, 0x45bc,
				       {0x9b, 0x07, 0xad, 0x6f, 0x01, 0x5e, 0x5f, 0x28}};
	union {
		ACCESS_ALLOWED_OBJECT_ACE ace;
		char buf[sizeof(ACCESS_ALLOWED_OBJECT_ACE) + SECURITY_MAX_SID_SIZE];
	} u = {0};
	size_t at = offsetof(ACCESS_ALLOWED_OBJECT_ACE, ObjectType) + sizeof(GUID);

	u.ace.Header.AceType = ACCESS_ALLOWED_OBJECT_ACE_TYPE;
	u.ace.Header.AceSize = (WORD)(at + GetLengthSid(sid));
	u.ace.Mask = mask;
	u.ace.Flags = ACE_OBJECT_TYPE_PRESENT;
	u.ace.ObjectType = some_type;
	CopySid(GetLengthSid(sid), u.buf + at, sid);
	return AddAce(acl, ACL_REVISION_DS, MAXDWORD, &u, u.ace.Header.AceSize);
}

static void sd_case(const struct sd_case *c)
{
	SECURITY_DESCRIPTOR sd;
	union {
		ACL acl;
		char buf[2048];
	} a;
	PSID owner = sid_of(c->owner), sids[4] = {0};
	char why[1024] = "";

	InitializeSecurityDescriptor(&sd, SECURITY_DESCRIPTOR_REVISION);
	SetSecurityDescriptorOwner(&sd, owner, FALSE);
	InitializeAcl(&a.acl, sizeof a, ACL_REVISION_DS);
	for (int i = 0; i < 4 && c->aces[i].kind; i++) {
		const struct ace *e = &c->aces[i];
		sids[i] = sid_of(e->sid);
		BOOL ok = e->kind == 'D' ? AddAccessDeniedAceEx(&a.acl, ACL_REVISION_DS, 0, e->mask, sids[i])
			  : e->kind == 'O' ? add_object_ace(&a.acl, e->mask, sids[i])
			      : AddAccessAllowedAceEx(&a.acl, ACL_REVISION_DS,
						      e->kind == 'I' ? INHERIT_ONLY_ACE | OBJECT_INHERIT_ACE |
									       CONTAINER_INHERIT_ACE
								     : 0,
						      e->mask, sids[i]);
		if (!ok) {
			tap_diag("building the ACL of \"%s\": error %lu", c->what, (unsigned long)GetLastError());
			tap_bail("cannot build an ACL");
		}
	}
	if (c->dacl >= 0)
		SetSecurityDescriptorDacl(&sd, TRUE, c->dacl ? &a.acl : NULL, FALSE);
	int rc = ifplex__trust_sd(&sd, "X", c->role, why, sizeof why);
	if (!c->want)
		tap_ok(rc == 0, "%s: trusted (%d \"%s\")", c->what, rc, why);
	else
		tap_ok(rc == IFPLEX_EBADPLUGIN && strstr(why, c->want), "%s: \"%s\"", c->what, why);
	for (int i = 0; i < 4; i++)
		LocalFree(sids[i]);
	LocalFree(owner);
}

static void absolute_paths(void)
{
	static const struct {
		const char *path;
		int absolute;
	} paths[] = {
		{"C:\\x", 1}, {"c:/x", 1},     {"Z:/work", 1},	  {"\\\\server\\share", 1},
		{"//server/share", 1},	       {"\\\\?\\C:\\x", 1}, {"C:x", 0},	  {"C:", 0},
		{"\\x", 0},   {"/x", 0},       {"\\\\\\x", 0},	  {"1:\\x", 0},	  {"", 0},
		{"x", 0},
	};

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		tap_ok(ifplex__path_is_absolute(paths[i].path) == paths[i].absolute, "\"%s\" is %s",
		       paths[i].path, paths[i].absolute ? "absolute" : "relative");
}

/* The loader retries a failed LoadLibrary only when it lacked memory or
 * handles (as dlopen's ENOMEM and EMFILE on POSIX); any other failure is
 * the file's. */
static void transient_errors(void)
{
	static const struct {
		DWORD code;
		int err, transient;
	} errs[] = {
		{ERROR_NOT_ENOUGH_MEMORY, -ENOMEM, 1}, {ERROR_OUTOFMEMORY, -ENOMEM, 1},
		{ERROR_COMMITMENT_LIMIT, -ENOMEM, 1},  {ERROR_TOO_MANY_OPEN_FILES, -EMFILE, 1},
		{ERROR_FILE_NOT_FOUND, -ENOENT, 0},    {ERROR_MOD_NOT_FOUND, -EIO, 0},
		{ERROR_BAD_EXE_FORMAT, -EIO, 0},       {ERROR_ACCESS_DENIED, -EACCES, 0},
		{ERROR_DLL_INIT_FAILED, -EIO, 0},      {ERROR_NOACCESS, -EIO, 0},
	};

	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		int e = ifplex__win_errno(errs[i].code);
		tap_ok(e == errs[i].err && !!ifplex__transient(e) == errs[i].transient,
		       "Win32 error %lu is %d, %s", (unsigned long)errs[i].code, e,
		       errs[i].transient ? "retried" : "remembered");
	}
}

/* Probe dir's ifplex-fake.dll (dir and file joined by sep): loadable when
 * want is NULL, else refused with a message that holds want. */
static void probe(const char *dir, char sep, const char *want, const char *what)
{
	struct ifplex_plugin_info pi = {.name = "fake"};

	snprintf(pi.path, sizeof pi.path, "%s%cifplex-fake.dll", dir, sep);
	int rc = ifplex_plugin_probe(&pi);
	if (!want)
		tap_ok(rc == 0 && pi.status == 0, "%s: loads (%d %d \"%s\")", what, rc, pi.status,
		       pi.message);
	else
		tap_ok(rc == 0 && pi.status == IFPLEX_EBADPLUGIN && strstr(pi.message, want) &&
			       strncmp(pi.message, "refusing plugin ", 16) == 0,
		       "%s: \"%s\"", what, pi.message);
}

/* The layout of test_w32_trust.sh: each directory's ifplex-fake.dll. */
static const struct {
	const char *dir;
	char sep;
	const char *want, *what;
} files[] = {
	{"ok", '/', NULL, "a file and directories only root writes"},
	{"ok", '\\', NULL, "the same, named with backslashes"},
	{"filew", '/', "filew\\ifplex-fake.dll lets Everyone (S-1-1-0) write data, append data, delete",
	 "a file others may write"},
	{"dirw", '/', "dirw lets Everyone (S-1-1-0) add files, add subdirectories, delete entries",
	 "a directory others may write"},
	{"above/sub", '/', "above lets Everyone (S-1-1-0) delete entries, delete",
	 "a directory above that others may write"},
	{"owner", '/', "owner\\ifplex-fake.dll is owned by Anonymous Logon (S-1-5-7)",
	 "a file of another Linux user (wine's Anonymous Logon)"},
	{"link", '/', "linked lets Everyone (S-1-1-0) add files",
	 "a symbolic link to a file in a directory others may write"},
	{"setacl", '/', "setacl\\ifplex-fake.dll lets Everyone (S-1-1-0) write data",
	 "a file whose DACL lets Everyone write (set by this test)"},
};

/* Everyone may write the file, set the Windows way: wine keeps it as the
 * Linux mode o+w, and describes it back as an Everyone entry. */
static int set_everyone_write(const char *file)
{
	EXPLICIT_ACCESS_A ea[2] = {
		{FILE_ALL_ACCESS, SET_ACCESS, NO_INHERITANCE,
		 {NULL, NO_MULTIPLE_TRUSTEE, TRUSTEE_IS_SID, TRUSTEE_IS_USER, NULL}},
		{FILE_GENERIC_READ | FILE_GENERIC_WRITE, SET_ACCESS, NO_INHERITANCE,
		 {NULL, NO_MULTIPLE_TRUSTEE, TRUSTEE_IS_SID, TRUSTEE_IS_WELL_KNOWN_GROUP, NULL}},
	};
	PSID user = sid_of(ME), everyone = sid_of("S-1-1-0");
	PACL acl = NULL;
	DWORD e;

	ea[0].Trustee.ptstrName = user;
	ea[1].Trustee.ptstrName = everyone;
	e = SetEntriesInAclA(2, ea, NULL, &acl);
	if (e == ERROR_SUCCESS)
		e = SetNamedSecurityInfoA((char *)file, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL,
					  NULL, acl, NULL);
	LocalFree(acl);
	LocalFree(user);
	LocalFree(everyone);
	return e == ERROR_SUCCESS ? 0 : -1;
}

int main(void)
{
	const char *t = getenv("IFPLEX_TEST_TRUST_DIR");
	char dir[2048], file[1024];
	HANDLE tok;
	union {
		TOKEN_USER u;
		char buf[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
	} tu;
	DWORD n;
	char *s;

	if (!t)
		tap_bail("IFPLEX_TEST_TRUST_DIR must be set (test_w32_trust.sh)");
	if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok) ||
	    !GetTokenInformation(tok, TokenUser, &tu, sizeof tu, &n) ||
	    !ConvertSidToStringSidA(tu.u.User.Sid, &s))
		tap_bail("cannot read this process's user");
	snprintf(me, sizeof me, "%s", s);
	LocalFree(s);
	CloseHandle(tok);
	tap_diag("this process's user is %s", me);

	transient_errors();
	for (size_t i = 0; i < sizeof sd_cases / sizeof sd_cases[0]; i++)
		sd_case(&sd_cases[i]);
	absolute_paths();

	/* Relative entries of the search path are refused by name; the
	 * installed directory is still tried, so the search ends "not found". */
	struct ifplex_options o = {.size = sizeof o, .backend = "fake",
				   .plugin_path = "C:rel;\\rootrel;rel"};
	int rc = ifplex_init(&o);
	const char *e = ifplex_last_error();
	tap_ok(rc == IFPLEX_ENOBACKEND && strstr(e, "relative directory \"C:rel\" refused") &&
		       strstr(e, "relative directory \"\\rootrel\" refused") &&
		       strstr(e, "relative directory \"rel\" refused"),
	       "relative search entries, drive- and root-relative too: \"%s\"", e);

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(dir, sizeof dir, "%s%c%s", t, files[i].sep, files[i].dir);
		snprintf(file, sizeof file, "%s/ifplex-fake.dll", dir);
		if (strcmp(files[i].dir, "setacl") == 0 &&
		    !tap_ok(set_everyone_write(file) == 0, "SetNamedSecurityInfoA gives Everyone write"))
			continue;
		probe(dir, files[i].sep, files[i].want, files[i].what);
	}

	/* A refused file is never loaded: the choice of a good one works. */
	snprintf(dir, sizeof dir, "%s/filew;%s/ok", t, t);
	o.plugin_path = dir;
	rc = ifplex_init(&o);
	tap_ok(rc == IFPLEX_EBADPLUGIN, "the first file found is refused, not skipped: %s",
	       ifplex_last_error());
	snprintf(dir, sizeof dir, "%s/ok", t);
	rc = ifplex_init(&o);
	tap_ok(rc == 0 && strcmp(ifplex_backend_name(), "fake") == 0, "a trusted one loads: %s",
	       ifplex_last_error());
	return tap_done();
}
