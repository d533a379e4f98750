DROP TABLE grievance_counts;
