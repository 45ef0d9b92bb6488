/* home.c - samfakt's own files, its version and the libraries in it. */
#include "base/home.h"

#include <cmark-gfm.h>
#include <csv.h>
#include <hpdf.h>
#include <libxml/xmlversion.h>
#include <limits.h>
#include <nettle/version.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/util.h"

#ifndef SAMFAKT_VERSION
#define SAMFAKT_VERSION "unknown"
#endif
#ifndef FONT_DIR
#define FONT_DIR "src/fonts"
#endif

static const char *const installed_names[] = {
	[HOME_FONTS] = "fonts",
};
static const char *const source_dirs[] = {
	[HOME_FONTS] = FONT_DIR,
};

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *home_dir(enum home_dir which)
{
	static char *found[1];
	if (found[which])
		return found[which];
	const char *env = which == HOME_FONTS ? getenv("SAMFAKT_FONT_DIR") : NULL;
	if (env && *env)
		return found[which] = xstrdup(env);
	/* BIN/../share/samfakt/NAME, where BIN holds this program */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			char *dir = xasprintf("%s/../share/samfakt/%s", exe, installed_names[which]);
			if (is_dir(dir))
				return found[which] = dir;
			free(dir);
		}
	}
	return found[which] = xstrdup(source_dirs[which]);
}

const char *samfakt_version(void)
{
	return SAMFAKT_VERSION;
}

void print_version(FILE *out)
{
	fprintf(out, "samfakt %s\n", SAMFAKT_VERSION);
	fprintf(out, "built with libharu %s, libxml2 %s, nettle %d.%d, zlib %s, cmark-gfm %s, libcsv %d.%d.%d, inih\n",
		HPDF_VERSION_TEXT, LIBXML_DOTTED_VERSION, NETTLE_VERSION_MAJOR, NETTLE_VERSION_MINOR,
		ZLIB_VERSION, CMARK_GFM_VERSION_STRING, CSV_MAJOR, CSV_MINOR, CSV_RELEASE);
	fprintf(out, "fonts: %s\n", home_dir(HOME_FONTS));
}
