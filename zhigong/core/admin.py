"""Django admin, for platform admins only, read-only: every change goes through actions."""

from django.contrib import admin

from zhigong.core import models, policy


def _platform_admin_only(request) -> bool:
    return request.user.is_active and policy.is_platform_admin(request.user)


admin.site.has_permission = _platform_admin_only


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _platform_admin_only(request)

    def has_module_permission(self, request):
        return _platform_admin_only(request)


@admin.register(models.Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "region", "member_count")
    search_fields = ("name", "credit_code")


@admin.register(models.Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "id_masked", "mobile")
    exclude = ("id_number_encrypted", "id_number_index")
    search_fields = ("name",)


@admin.register(models.User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("username", "mobile", "is_active", "locked_until")
    exclude = ("password",)


@admin.register(models.RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    list_display = ("user", "role", "organization", "personal_data")


admin.site.register(models.Region, ReadOnlyAdmin)
