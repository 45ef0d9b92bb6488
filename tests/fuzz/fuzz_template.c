/* fuzz_template.c - libFuzzer harness: any bytes as the business plan's
 * template, expanded against the fixture and parsed as Markdown. */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "fixture.h"
#include "model/allocate.h"
#include "model/validate.h"
#include "render/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model model;
	static struct allocation a;
	static int ready;
	diag_set_verbosity(-2);
	if (!ready) {
		if (fixture_load(&model, -1, NULL, 0) != 0 || validate_model(&model) != 0 ||
		    allocate(&model, &a) != 0)
			__builtin_trap();
		cmark_gfm_core_extensions_ensure_registered();
		ready = 1;
	}
	char *md;
	int *map;
	size_t n;
	struct gen_tables tables;
	if (template_expand_mapped("t.md", (const char *)data, size, &model, &a, &md, &map, &n,
				   &tables) == 0) {
		/* every output line maps back to a template line */
		for (size_t i = 0; i < n; i++)
			if (map[i] < 1)
				__builtin_trap();
		cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
		cmark_parser_feed(p, md, strlen(md));
		cmark_node_free(cmark_parser_finish(p));
		cmark_parser_free(p);
		free(md);
		free(map);
		gen_tables_release(&tables);
	}
	return 0;
}
