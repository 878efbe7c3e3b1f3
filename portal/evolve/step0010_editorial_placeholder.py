"""Segnaposto del passo 10 (contenuti redazionali, in un altro ramo): non fa nulla."""
# PLACEHOLDER for branch h13-queues only: helper "editorial" owns step 10; drop this file
# at the merge (steps must be contiguous, so step 11 needs a step 10 to run here).


def evolve(zodb_root, portal):
    return None
