package io.jitsiops.sim.janssen;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * jans-auth's OpenID discovery document: the 69 members, values and order of a real Janssen server's answer
 * (recorded in {@code src/test/resources/recorded/janssen/openid-configuration.json}, source in the README
 * there), with its host replaced by the simulator's. Of the endpoints listed, the simulator serves the authorization
 * (code + PKCE, with jans-auth's login page), token, JWKS and introspection endpoints (and the health check, which discovery does not list); the others answer 404.
 */
public final class OpenIdConfiguration {
    private OpenIdConfiguration() {
    }

    /**
     * @param issuer the issuer (Janssen's is the bare https host)
     * @param base   where the endpoints live (normally the issuer)
     */
    public static Map<String, Object> document(String issuer, String base) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("request_parameter_supported", true);
        d.put("pushed_authorization_request_endpoint", base + "/jans-auth/restv1/par");
        d.put("introspection_encryption_alg_values_supported", List.of("RSA1_5", "RSA-OAEP", "A128KW", "A256KW"));
        d.put("introspection_endpoint", base + "/jans-auth/restv1/introspection");
        d.put("claims_parameter_supported", false);
        d.put("status_list_endpoint", base + "/jans-auth/restv1/status_list");
        d.put("issuer", issuer);
        d.put("userinfo_encryption_enc_values_supported", List.of("A128CBC+HS256", "A256CBC+HS512", "A128GCM", "A256GCM"));
        d.put("id_token_encryption_enc_values_supported", List.of("A128CBC+HS256", "A256CBC+HS512", "A128GCM", "A256GCM"));
        d.put("access_token_signing_alg_values_supported", List.of("none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES512", "PS256", "PS384", "PS512"));
        d.put("authorization_endpoint", base + "/jans-auth/restv1/authorize");
        d.put("service_documentation", "http://jans.org/docs");
        d.put("authorization_encryption_alg_values_supported", List.of("RSA1_5", "RSA-OAEP", "A128KW", "A256KW"));
        d.put("introspection_encryption_enc_values_supported", List.of("A128CBC+HS256", "A256CBC+HS512", "A128GCM", "A256GCM"));
        d.put("claims_supported", List.of("street_address", "country", "zoneinfo", "birthdate", "role", "gender", "formatted", "user_name", "phone_mobile_number", "preferred_username", "locale", "inum", "updated_at", "post_office_box", "nickname", "preferred_language", "email", "website", "email_verified", "profile", "locality", "room_number", "phone_number_verified", "given_name", "middle_name", "picture", "name", "phone_number", "postal_code", "region", "family_name", "jansAdminUIRole"));
        d.put("ssa_endpoint", base + "/jans-auth/restv1/ssa");
        d.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"));
        d.put("tls_client_certificate_bound_access_tokens", true);
        d.put("response_modes_supported", List.of("fragment", "query.jwt", "query", "fragment.jwt", "jwt", "form_post.jwt", "form_post"));
        d.put("backchannel_logout_session_supported", true);
        d.put("token_endpoint", base + "/jans-auth/restv1/token");
        d.put("response_types_supported", List.of("code token", "code", "code id_token", "code token id_token", "token id_token", "token", "id_token"));
        d.put("tx_token_encryption_alg_values_supported", List.of("RSA1_5", "RSA-OAEP", "A128KW", "A256KW"));
        d.put("authorization_encryption_enc_values_supported", List.of("A128CBC+HS256", "A256CBC+HS512", "A128GCM", "A256GCM"));
        d.put("backchannel_token_delivery_modes_supported", List.of("poll", "ping", "push"));
        d.put("dpop_signing_alg_values_supported", List.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES512", "PS256", "PS384", "PS512"));
        d.put("request_uri_parameter_supported", true);
        d.put("backchannel_user_code_parameter_supported", false);
        d.put("grant_types_supported", List.of("client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "refresh_token", "implicit", "password", "authorization_code", "urn:ietf:params:oauth:grant-type:uma-ticket", "urn:ietf:params:oauth:grant-type:token-exchange"));
        d.put("ui_locales_supported", List.of("en", "bg", "de", "es", "fr", "it", "ru", "tr"));
        d.put("prompt_values_supported", List.of("none", "login", "consent", "select_account", "create"));
        d.put("userinfo_endpoint", base + "/jans-auth/restv1/userinfo");
        d.put("access_evaluation_v1_endpoint", base + "/jans-auth/restv1/access/v1/evaluation");
        d.put("authorization_challenge_endpoint", base + "/jans-auth/restv1/authorization_challenge");
        d.put("op_tos_uri", base + "/tos");
        d.put("require_request_uri_registration", false);
        d.put("id_token_encryption_alg_values_supported", List.of("RSA1_5", "RSA-OAEP", "A128KW", "A256KW"));
        d.put("frontchannel_logout_session_supported", true);
        d.put("authorization_signing_alg_values_supported", List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES512", "PS256", "PS384", "PS512"));
        d.put("claims_locales_supported", List.of("en"));
        d.put("clientinfo_endpoint", base + "/jans-auth/restv1/clientinfo");
        d.put("request_object_signing_alg_values_supported", List.of("none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES512", "PS256", "PS384", "PS512"));
        d.put("request_object_encryption_alg_values_supported", List.of("RSA1_5", "RSA-OAEP", "A128KW", "A256KW"));
        d.put("global_token_revocation_endpoint", base + "/jans-auth/restv1/global-token-revocation");
        d.put("introspection_signing_alg_values_supported", List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES512", "PS256", "PS384", "PS512"));
        d.put("tx_token_signing_alg_values_supported", List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES512", "PS256", "PS384", "PS512"));
        d.put("check_session_iframe", base + "/jans-auth/opiframe.htm");
        d.put("scopes_supported", List.of("address", "introspection", "role", "access_evaluation", "https://jans.io/auth/ssa.admin", "online_access", "openid", "clientinfo", "user_name", "profile", "uma_protection", "revoke_any_token", "global_token_revocation", "https://jans.io/scim/users.write", "revoke_session", "device_sso", "https://jans.io/scim/users.read", "phone", "mobile_phone", "offline_access", "authorization_challenge", "https://jans.io/oauth/lock/audit.write", "email", "https://jans.io/oauth/lock/audit.readonly"));
        d.put("backchannel_logout_supported", true);
        d.put("acr_values_supported", List.of("simple_password_auth"));
        d.put("archived_jwks_uri", base + "/jans-auth/restv1/jwks/archived");
        d.put("request_object_encryption_enc_values_supported", List.of("A128CBC+HS256", "A256CBC+HS512", "A128GCM", "A256GCM"));
        d.put("device_authorization_endpoint", base + "/jans-auth/restv1/device_authorization");
        d.put("display_values_supported", List.of("page", "popup"));
        d.put("tx_token_encryption_enc_values_supported", List.of("A128CBC+HS256", "A256CBC+HS512", "A128GCM", "A256GCM"));
        d.put("userinfo_signing_alg_values_supported", List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES512", "PS256", "PS384", "PS512"));
        d.put("require_pushed_authorization_requests", false);
        d.put("claim_types_supported", List.of("normal"));
        d.put("userinfo_encryption_alg_values_supported", List.of("RSA1_5", "RSA-OAEP", "A128KW", "A256KW"));
        d.put("end_session_endpoint", base + "/jans-auth/restv1/end_session");
        d.put("revocation_endpoint", base + "/jans-auth/restv1/revoke");
        d.put("backchannel_authentication_endpoint", base + "/jans-auth/restv1/bc-authorize");
        d.put("token_endpoint_auth_signing_alg_values_supported", List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES512", "PS256", "PS384", "PS512"));
        d.put("frontchannel_logout_supported", true);
        d.put("jwks_uri", base + "/jans-auth/restv1/jwks");
        d.put("subject_types_supported", List.of("public", "pairwise"));
        d.put("id_token_signing_alg_values_supported", List.of("none", "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES512", "PS256", "PS384", "PS512"));
        d.put("registration_endpoint", base + "/jans-auth/restv1/register");
        d.put("id_token_token_binding_cnf_values_supported", List.of("tbh"));
        return d;
    }
}
