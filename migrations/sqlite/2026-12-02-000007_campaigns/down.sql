DROP INDEX grievances_campaign_idx;
ALTER TABLE grievances DROP COLUMN campaign_id;
DROP TABLE campaign_settings;
DROP TABLE campaign_members;
DROP TABLE campaign_goal_updates;
DROP TABLE campaign_goals;
DROP TABLE campaign_phases;
DROP TABLE campaigns;
