"""Pure rules of the monthly cycle and of the money: no Pyramid, no transaction."""
