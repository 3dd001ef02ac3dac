/*
 * usbmount: the USB sticks that are mounted, and the content packs on them.
 *
 * A stick is a folder directly under /media, /media/USER or
 * /run/media/USER that is on another device than its parent (a mount
 * point). $KIOSK_MEDIA_ROOT, when set, replaces those places (tests): each
 * folder in it stands for a stick.
 *
 * Only names and file types are read here: nothing on a stick is opened,
 * parsed or followed (symbolic links are skipped).
 */
#ifndef KIOSK_BASE_USBMOUNT_H
#define KIOSK_BASE_USBMOUNT_H

#include <stdbool.h>
#include <stddef.h>

/* The file name ending of a content pack. */
#define USBMOUNT_PACK_EXT ".pack"

/* The mounted sticks' folders, sorted; writable_only: only those the kiosk
 * may write into. Returns a NULL-terminated array (never NULL) the caller
 * frees with usbmount_free; *n (may be NULL) gets the count. */
char **usbmount_list(bool writable_only, size_t *n);

/* The content packs on the stick at root: regular files whose name ends in
 * USBMOUNT_PACK_EXT (any case) in root and in its folders one level down,
 * hidden names left out, sorted. Returned as usbmount_list does. */
char **usbmount_find_packs(const char *root, size_t *n);

/* Free a list usbmount_list or usbmount_find_packs returned (accepts
 * NULL). */
void usbmount_free(char **list);

#endif
