# Every critical application has two accountable owners.
#
# An application has one `owner`. It counts as two owners when that owner
# is a team with at least two active human members; an individual owner is
# one person, however senior. Teams' `active_human_members` is derived by
# rolelint.
package rolelint.critical_apps

# "team:<id>" -> the team's active human members.
team_people[principal] := team.active_human_members if {
	some team in input.teams
	principal := concat(":", ["team", team.id])
}

active_humans contains identity.id if {
	some identity in input.identities
	identity.type == "human"
	identity.status == "active"
}

# An owning team's active people, or the owning identity if an active human.
people(owner) := object.get(team_people, owner, {owner} & active_humans)

warn contains finding if {
	some app in input.applications
	app.criticality == "critical"
	owner := object.get(app, "owner", "")
	count(people(owner)) < 2
	finding := {
		"msg": sprintf("critical application %s has %d accountable owner(s) through `%s`; it needs a team with at least two active people", [app.id, count(people(owner)), owner]),
		"kind": app.kind,
		"id": app.id,
		"help": "make the owner a team with at least two active human members, so the application is never left without a responsible person",
	}
}
