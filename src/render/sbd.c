/* sbd.c - the Peppol Business Message Envelope of an e-invoice (sbd.h). */
#include "render/sbd.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/hash.h"
#include "base/util.h"

#define NS_SBDH "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
#define NS_INVOICE "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define NS_CREDIT_NOTE "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define BILLING "##urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
#define PROCESS "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
#define AUTHORITY "iso6523-actorid-upis"

char *sbd_instance_id(const struct document *doc, const char *ubl_sha256, char buf[SBD_UUID_BUFSZ])
{
	char hex[HASH_HEXSZ];
	struct strbuf sb = {0};
	sb_addf(&sb, "samfakt envelope\n%s\n%s\n%s\n%s", doc->seller.peppol_id ? doc->seller.peppol_id : "",
		doc->cooperation ? doc->cooperation : "", doc->number ? doc->number : "", ubl_sha256);
	hash_bytes(sb.buf, sb.len, hex);
	sb_release(&sb);
	/* the layout of a name-based UUID: version 5, variant 10 */
	const char *digits = "0123456789abcdef";
	char variant = "89ab"[(strchr(digits, hex[16]) - digits) & 3];
	snprintf(buf, SBD_UUID_BUFSZ, "%.8s-%.4s-5%.3s-%c%.3s-%.12s", hex, hex + 8, hex + 13, variant, hex + 17,
		 hex + 20);
	return buf;
}

struct sbd {
	xmlTextWriterPtr w;
	int failed;
};

static void check(struct sbd *s, int rc)
{
	if (rc < 0)
		s->failed = 1;
}

static void start(struct sbd *s, const char *name)
{
	check(s, xmlTextWriterStartElement(s->w, BAD_CAST name));
}

static void end(struct sbd *s)
{
	check(s, xmlTextWriterEndElement(s->w));
}

static void elem(struct sbd *s, const char *name, const char *text)
{
	start(s, name);
	check(s, xmlTextWriterWriteString(s->w, BAD_CAST text));
	end(s);
}

static void party(struct sbd *s, const char *role, const char *peppol_id)
{
	start(s, role);
	start(s, "Identifier");
	check(s, xmlTextWriterWriteAttribute(s->w, BAD_CAST "Authority", BAD_CAST AUTHORITY));
	check(s, xmlTextWriterWriteString(s->w, BAD_CAST peppol_id));
	end(s);
	end(s);
}

static void scope(struct sbd *s, const char *type, const char *instance, const char *identifier)
{
	start(s, "Scope");
	elem(s, "Type", type);
	elem(s, "InstanceIdentifier", instance);
	if (identifier)
		elem(s, "Identifier", identifier);
	end(s);
}

int sbd_render(const struct document *doc, const char *ubl, size_t len, const char *what, char **out,
	       size_t *out_len)
{
	if (!document_has_einvoice_data(doc))
		BUG("an envelope of a document without an e-invoice: %s", what);
	/* the UBL document without its XML declaration */
	const char *root = memchr(ubl, '<', len);
	if (root && strncmp(root, "<?xml", 5) == 0) {
		const char *end = memchr(root, '>', len - (size_t)(root - ubl));
		root = end ? memchr(end, '<', len - (size_t)(end - ubl)) : NULL;
	}
	if (!root) {
		error_at(what, 0, "cannot make the envelope: the e-invoice has no document");
		return -1;
	}
	size_t rest = len - (size_t)(root - ubl);
	while (rest && (root[rest - 1] == '\n' || root[rest - 1] == ' '))
		rest--;
	int credit = document_is_credit(doc->kind);
	const char *type = credit ? "CreditNote" : "Invoice";
	const char *ns = credit ? NS_CREDIT_NOTE : NS_INVOICE;
	char uuid[SBD_UUID_BUFSZ], when[40], d[DATE_BUFSZ];
	char *docid = xasprintf("%s::%s%s", ns, type, BILLING);
	snprintf(when, sizeof when, "%sT00:00:00Z", date_format(doc->invoice_date, d));

	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (!w) {
		xmlBufferFree(buf);
		free(docid);
		error_at(what, 0, "cannot make the envelope: out of memory");
		return -1;
	}
	struct sbd s = {w, 0};
	check(&s, xmlTextWriterSetIndent(w, 1));
	check(&s, xmlTextWriterSetIndentString(w, BAD_CAST "  "));
	check(&s, xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
	start(&s, "StandardBusinessDocument");
	check(&s, xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST NS_SBDH));
	start(&s, "StandardBusinessDocumentHeader");
	elem(&s, "HeaderVersion", "1.0");
	party(&s, "Sender", doc->seller.peppol_id);
	party(&s, "Receiver", doc->buyer.peppol_id);
	start(&s, "DocumentIdentification");
	elem(&s, "Standard", ns);
	elem(&s, "TypeVersion", "2.1");
	char ubl_sha[HASH_HEXSZ];
	hash_bytes(ubl, len, ubl_sha);
	elem(&s, "InstanceIdentifier", sbd_instance_id(doc, ubl_sha, uuid));
	elem(&s, "Type", type);
	elem(&s, "CreationDateAndTime", when);
	end(&s);
	start(&s, "BusinessScope");
	scope(&s, "DOCUMENTID", docid, "busdox-docid-qns");
	scope(&s, "PROCESSID", PROCESS, "cenbii-procid-ubl");
	scope(&s, "COUNTRY_C1", "SE", NULL);
	end(&s);
	end(&s);	/* the header */
	/* the UBL document as it is, on the line after the header's */
	check(&s, xmlTextWriterWriteRawLen(w, BAD_CAST root, (int)rest));
	check(&s, xmlTextWriterWriteRaw(w, BAD_CAST "\n"));
	check(&s, xmlTextWriterFlush(w));
	xmlFreeTextWriter(w);
	free(docid);
	if (s.failed) {
		xmlBufferFree(buf);
		error_at(what, 0, "cannot make the envelope");
		return -1;
	}
	/* the closing tag, after the raw document */
	size_t n = (size_t)xmlBufferLength(buf);
	const char *closing = "</StandardBusinessDocument>\n";
	*out = xmalloc(n + strlen(closing) + 1);
	memcpy(*out, xmlBufferContent(buf), n);
	memcpy(*out + n, closing, strlen(closing) + 1);
	*out_len = n + strlen(closing);
	xmlBufferFree(buf);
	return 0;
}
