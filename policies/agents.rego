# No AI agent holds write access to production.
#
# Production: an application labelled `environment: production`, or whose id
# ends in `-prod`. Write access: a permission declared privileged, or whose
# last dotted segment is a verb that changes things (`s3.write`,
# `iam.admin`, `ec2.operate`, ...). Both come from naming conventions: adapt
# the lists to your catalogue.
package rolelint.agents

write_verbs := {"write", "admin", "manage", "create", "update", "delete", "operate", "deploy", "approve"}

production_apps contains app.id if {
	some app in input.applications
	app.labels.environment == "production"
}

production_apps contains app.id if {
	some app in input.applications
	endswith(app.id, "-prod")
}

# "app:perm" of every production permission that writes.
production_writes contains concat(":", [app.id, permission.id]) if {
	some app in input.applications
	production_apps[app.id]
	some permission in app.permissions
	writes(permission)
}

writes(permission) if permission.privileged

writes(permission) if {
	parts := split(permission.id, ".")
	write_verbs[parts[count(parts) - 1]]
}

deny contains finding if {
	some identity in input.identities
	identity.type == "agent"
	some permission in identity.effective_permissions
	production_writes[permission]
	finding := {
		"msg": sprintf("AI agent %s can change production: it holds %s", [identity.id, permission]),
		"kind": identity.kind,
		"id": identity.id,
		"detail": permission,
		"help": "give agents read-only access to production; let a human or a reviewed pipeline make changes",
	}
}
