/*
 * topics: the fixed list of topic tags an item may carry.
 *
 * The seven core UN conventions Vietnam is party to, the Universal
 * Declaration, Vietnam's own law, the vulnerable groups the national plan
 * names, and World Human Rights Day. Each has a stable id used in item.json
 * and an English label that is the msgid of its UI string in locales/.
 */
#ifndef KIOSK_CONTENT_TOPICS_H
#define KIOSK_CONTENT_TOPICS_H

#include <stddef.h>

struct topic {
	const char *id;     /* e.g. "crc" */
	const char *label;  /* English label, msgid for translation */
};

/* The whole list, in display order; *n_out receives its length. */
const struct topic *topics_all(size_t *n_out);

/* The topic with this id, or NULL. */
const struct topic *topic_find(const char *id);

#endif
