/* fuzz_config.c - libFuzzer harness: any bytes as the INI configuration. */
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "model/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_set_verbosity(-2);
	struct config cfg;
	if (config_parse(&cfg, "fuzz/config.ini", (const char *)data, size) == 0) {
		/* A config that loads has what the later stages rely on. */
		if (!cfg.name || !cfg.issuer.org_nr || !cfg.output_dir || !cfg.journal_path ||
		    cfg.nperiods == 0 || cfg.npools == 0)
			__builtin_trap();
		for (size_t i = 1; i < cfg.nperiods; i++)
			if (cfg.periods[i].invoice_date <= cfg.periods[i - 1].invoice_date)
				__builtin_trap();
	}
	config_release(&cfg);
	return 0;
}
