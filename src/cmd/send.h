/* send.h - what the issuing commands share with send. */
#ifndef SAMFAKT_SEND_H
#define SAMFAKT_SEND_H

#include "cmd/context.h"

/* Hand over to [sending] outbox every document recorded but not handed
 * over (after issue, credit, correct and settle, and by send): a run
 * killed half-way is completed first. With no outbox, nothing. An outbox
 * that is not there is an error for send (command), a warning after the
 * others (their documents are issued; send hands them over later). */
enum exit_status send_pending(struct context *cx, int command);

#endif
