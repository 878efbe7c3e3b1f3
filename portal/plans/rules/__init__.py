"""Pure rules of the zone plans: amounts, invariants, figures, monitoring and differences."""
