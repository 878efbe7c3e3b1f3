"""Pure rules of case management: statuses, the assessment and SINA fields, the PAI."""
