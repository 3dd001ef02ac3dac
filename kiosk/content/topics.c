/*
 * topics: the fixed list of topic tags (see topics.h).
 */
#include "content/topics.h"

#include <string.h>

#include "base/util.h"

/* Display order: the Declaration, the seven core conventions in the order
 * they were adopted by the UN General Assembly, national law, the groups,
 * then the day. The labels are msgids: changing one means changing the
 * PO files in locales/ too. */
static const struct topic topic_table[] = {
	{ "udhr", "Universal Declaration of Human Rights (UDHR)" },
	{ "cerd", "Convention on the Elimination of Racial Discrimination (CERD)" },
	{ "iccpr", "International Covenant on Civil and Political Rights (ICCPR)" },
	{ "icescr", "International Covenant on Economic, Social and Cultural Rights (ICESCR)" },
	{ "cedaw", "Convention on the Elimination of Discrimination against Women (CEDAW)" },
	{ "cat", "Convention against Torture (CAT)" },
	{ "crc", "Convention on the Rights of the Child (CRC)" },
	{ "crpd", "Convention on the Rights of Persons with Disabilities (CRPD)" },
	{ "vn-law", "Vietnam's Constitution and laws" },
	{ "women", "Women" },
	{ "children", "Children" },
	{ "poverty", "People living in poverty" },
	{ "elderly", "Older people" },
	{ "disability", "People with disabilities" },
	{ "ethnic-minorities", "Ethnic minorities" },
	{ "hr-day", "Human Rights Day (10 December)" },
};

const struct topic *topics_all(size_t *n_out)
{
	if (n_out)
		*n_out = ARRAY_LEN(topic_table);
	return topic_table;
}

const struct topic *topic_find(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(topic_table); i++) {
		if (strcmp(topic_table[i].id, id) == 0)
			return &topic_table[i];
	}
	return NULL;
}
