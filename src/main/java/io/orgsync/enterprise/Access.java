package io.orgsync.enterprise;

/**
 * What an enterprise's set-up could read at its last complete sync (docs/setups.md): member and
 * department {@code names} (false for a contact-sync secret on a new IP alone: ids only);
 * {@code mobiles} visible or hidden (apps created after 2022-06-20 hide them); {@code complete},
 * every member of the company (a contact-sync secret), or only those in an app's visible range;
 * {@code wholeRange}, whether the range covers the whole company.
 */
public record Access(boolean names, boolean mobilesVisible, boolean complete, boolean wholeRange, long checkedAt) {}
